/** DTOs of Web Push (what leaves the server). */

/** One browser on one device that receives push notifications for the signed-in user. */
export type PushDeviceDTO = {
  id: string;
  /** What the user named it, or what the browser said it is ("Chrome · Android"). */
  label: string;
  /** The push service's URL: the browser compares it with its own subscription to find "this device". */
  endpoint: string;
  createdAt: string;
  /** When a push last reached the push service for it. */
  lastSuccessAt: string | null;
};

/** The key browsers bind a subscription to (`applicationServerKey`). */
export type PushKeyDTO = { publicKey: string };
