// `GET|PATCH|DELETE /accounting/partners/:id` (a partner used by invoices cannot be deleted)
import { itemRoutes } from '../../../api.js';
import { partnerPatchBody } from '../../../domain/index.js';

export default itemRoutes('res.partner', 'partners', partnerPatchBody);
