// `POST|GET /accounting/products`
import { collectionRoutes } from '../../api.js';
import { productCreateBody } from '../../domain/index.js';

export default collectionRoutes('product.product', 'products', productCreateBody);
