/**
 * BIYRO marketplace events: the 35 project lifecycle codes of the Latvian document
 * "Webhooks un integrācijas", in the document's order.
 */
import {
  acceptedAddon,
  declinedAddon,
  expiredAddon,
  newAddon,
  purchaseAddonPaymentSucceeded,
  purchaseNewInvoiceAddon,
  withdrawnAddon,
} from './addons.js';
import {
  activeCancelled,
  requestCancellationBuyer,
  requestCancellationDeclinedBuyer,
  requestCancellationDeclinedSeller,
  requestCancellationSeller,
} from './cancellation.js';
import { activeDelivered, activePrepare, activeRevisions, activeWork, quotasAssigned } from './delivery.js';
import { requestExtension, requestExtensionAccepted, requestExtensionDeclined } from './extension.js';
import { activeSigned, deleted, expired, newDeclined, newDraft, newSent, newWithdrawn } from './offers.js';
import { purchaseNewInvoice, purchasePaymentFailed, purchasePaymentSucceeded } from './purchase.js';
import {
  filesDeletedEvent,
  filesNotDeletedEvent,
  projectFinished,
  supportFinished,
  supportStarted,
} from './support.js';

export const marketplaceEvents = [
  newDraft,
  newSent,
  newDeclined,
  newWithdrawn,
  deleted,
  filesDeletedEvent,
  filesNotDeletedEvent,
  expired,
  activeSigned,
  purchaseNewInvoice,
  purchasePaymentSucceeded,
  purchasePaymentFailed,
  activeWork,
  requestExtension,
  requestExtensionDeclined,
  requestExtensionAccepted,
  newAddon,
  withdrawnAddon,
  expiredAddon,
  declinedAddon,
  purchaseNewInvoiceAddon,
  purchaseAddonPaymentSucceeded,
  acceptedAddon,
  activeDelivered,
  activeRevisions,
  quotasAssigned,
  supportStarted,
  supportFinished,
  projectFinished,
  activePrepare,
  requestCancellationSeller,
  requestCancellationBuyer,
  requestCancellationDeclinedBuyer,
  requestCancellationDeclinedSeller,
  activeCancelled,
] as const;

export * from './objects.js';
export * from './plans.js';
export { projectEventData } from './data.js';
export * from './offers.js';
export * from './purchase.js';
export * from './extension.js';
export * from './addons.js';
export * from './delivery.js';
export * from './support.js';
export * from './cancellation.js';
