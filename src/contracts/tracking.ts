import { z } from 'zod';
import { isoDateTime } from './common.js';

// The public order tracking page (/track): a customer enters the order number and their phone
// number and sees where the goods are. The answer carries no prices, names, addresses or ids.

/** What a customer sees of the order's state (internal states such as a credit check collapse into `processing`). */
export const trackingState = z.enum(['processing', 'partially_shipped', 'shipped', 'completed', 'cancelled']);
export type TrackingStateValue = z.infer<typeof trackingState>;

export const trackingQuery = z
  .object({
    orderNumber: z.string().trim().min(1).max(40),
    /** The full number on the order or the customer (separators, spaces and +86 are ignored). */
    phone: z
      .string()
      .trim()
      .max(30)
      .refine((v) => phoneDigits(v).length >= 11, { message: 'phone' }),
  })
  .strict();
export type TrackingQuery = z.infer<typeof trackingQuery>;

export const trackingShipment = z.object({
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
  shippedAt: isoDateTime,
  deliveredAt: isoDateTime.nullable(),
  lines: z.array(z.object({ productName: z.string(), quantity: z.string() })),
});

export const trackingResult = z.object({
  orderNumber: z.string(),
  state: trackingState,
  orderDate: z.string(),
  shipments: z.array(trackingShipment),
});
export type TrackingResult = z.infer<typeof trackingResult>;

/** Digits only, without the +86 / 0086 country prefix: "+86 138-0013-8000" → "13800138000". */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D+/g, '');
  if (/^0086\d{11}$/.test(digits)) return digits.slice(4);
  if (/^86\d{11}$/.test(digits)) return digits.slice(2);
  return digits;
}
