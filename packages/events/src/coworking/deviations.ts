/**
 * Where the coworking schemas knowingly differ from the Conexa document
 * (`/work/shared/seeds/002_073cc3f9a9f3ec7b.txt`): obvious typos in field names or types.
 */
export interface CoworkingDeviation {
  eventType: string;
  documented: string;
  used: string;
  reason: string;
}

const cratedAt = 'Misspelling of "createdAt" (the field is the creation date), the name every other Conexa event uses.';
const fundationDate = 'Misspelling of "foundation" (the field is the data de fundação, foundation date).';
const requesterEmail =
  'The Anexo "Solicitante" row "| string | E-mail do Solicitante |" lost its field name; the field is the requester\'s e-mail, named "email".';

export const coworkingDeviations: CoworkingDeviation[] = [
  { eventType: 'coworking.customer.created', documented: 'cratedAt', used: 'createdAt', reason: cratedAt },
  { eventType: 'coworking.customer.edited', documented: 'cratedAt', used: 'createdAt', reason: cratedAt },
  {
    eventType: 'coworking.customer.created',
    documented: 'fundationDate',
    used: 'foundationDate',
    reason: fundationDate,
  },
  {
    eventType: 'coworking.customer.edited',
    documented: 'fundationDate',
    used: 'foundationDate',
    reason: fundationDate,
  },
  {
    eventType: 'coworking.correspondence.forwarded_to_address',
    documented: 'shippingMetod',
    used: 'shippingMethod',
    reason: 'Misspelling of "shippingMethod" (Forma de envio, shipping method).',
  },
  {
    eventType: 'coworking.charge.settled',
    documented: 'chargeId: oint',
    used: 'chargeId: int',
    reason: 'Typo in the TIPO column; chargeId is an int in every other charge event.',
  },
  {
    eventType: 'coworking.customer_service.created',
    documented: 'requester.(no name)',
    used: 'requester.email',
    reason: requesterEmail,
  },
  {
    eventType: 'coworking.customer_service.created_blocked_customer',
    documented: 'requester.(no name)',
    used: 'requester.email',
    reason: requesterEmail,
  },
  {
    eventType: 'coworking.customer_service.deleted',
    documented: 'requester.(no name)',
    used: 'requester.email',
    reason: requesterEmail,
  },
];
