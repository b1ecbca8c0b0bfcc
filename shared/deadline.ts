/**
 * Rejects when `promise` has not settled within `ms`. Socket.IO's own ack timeout can stall
 * when the transport drops while an ack is pending, so every awaited ack races this as well.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message = 'no acknowledgement in time'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
