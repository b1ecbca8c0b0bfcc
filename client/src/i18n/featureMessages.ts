/** A feature's messages in both languages (see features.ts); English must translate exactly the Chinese keys. */
export function featureMessages<const Z extends Record<string, string>>(zh: Z, en: Record<keyof Z, string>) {
  return { zh, en };
}
