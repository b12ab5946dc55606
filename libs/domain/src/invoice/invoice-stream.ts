/** The event stream of one invoice: `invoice-<id>`, so `invoice` is its category. */
export const invoiceStream = (invoiceId: string): string => `invoice-${invoiceId}`;
