/** The demo seed refused: the database is not empty. Nothing was changed. */
export class DemoSeedRefused extends Error {
  override name = 'DemoSeedRefused';
}
