// `POST|GET /accounting/partners`
import { collectionRoutes } from '../../api.js';
import { partnerCreateBody } from '../../domain/index.js';

export default collectionRoutes('res.partner', 'partners', partnerCreateBody);
