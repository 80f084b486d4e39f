// `GET|PATCH|DELETE /accounting/products/:id`
import { itemRoutes } from '../../../api.js';
import { productPatchBody } from '../../../domain/index.js';

export default itemRoutes('product.product', 'products', productPatchBody);
