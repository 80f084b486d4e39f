// `POST|GET /accounting/invoices`
import { collectionRoutes } from '../../api.js';
import { invoiceCreateBody } from '../../domain/index.js';

export default collectionRoutes('account.invoice', 'invoices', invoiceCreateBody);
