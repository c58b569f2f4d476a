// The catalog's HTTP API over its database.
import { HttpError, Router } from '../../lib/http.js';
import { tracedQuery } from './traced-query.js';

const MAX_PAGE = 100;

/** Builds the catalog router for an open catalog database. */
export function createCatalogRouter(db) {
  const listProducts = tracedQuery(db, `
    SELECT id, sku, name, category, price_cents, stock FROM products
    WHERE (@category IS NULL OR category = @category)
    ORDER BY id LIMIT @limit OFFSET @offset`);
  const countProducts = tracedQuery(db,
    'SELECT count(*) AS total FROM products WHERE (@category IS NULL OR category = @category)');
  const productById = tracedQuery(db,
    'SELECT id, sku, name, category, description, price_cents, stock FROM products WHERE id = ?');
  // The three queries below filter on reviews.product_sku: without the index
  // (see ADD_REVIEWS_INDEX in db.js) each one scans the whole reviews table.
  const ratingHistogram = tracedQuery(db,
    'SELECT rating, count(*) AS count FROM reviews WHERE product_sku = ? GROUP BY rating');
  const recentReviews = tracedQuery(db, `
    SELECT author, rating, body, created_at FROM reviews
    WHERE product_sku = ? ORDER BY created_at DESC LIMIT 3`);
  const topReview = tracedQuery(db, `
    SELECT author, rating, body, helpful_votes, created_at FROM reviews
    WHERE product_sku = ? ORDER BY helpful_votes DESC, id LIMIT 1`);

  const getProduct = (id) => {
    const product = /^\d+$/.test(id) ? productById.get(Number(id)) : undefined;
    if (!product) throw new HttpError(404, 'PRODUCT_NOT_FOUND', `no product with id ${id}`);
    return toProduct(product);
  };

  return new Router()
    .get('/products', ({ query }) => {
      const limit = clamp(Number(query.get('limit') ?? 50), 1, MAX_PAGE);
      const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
      const category = query.get('category') || null;
      const products = listProducts.all({ category, limit, offset }).map(toProduct);
      const { total } = countProducts.get({ category });
      return { json: { products, total, limit, offset } };
    })
    .get('/products/:id', ({ params }) => ({ json: getProduct(params.id) }))
    .get('/products/:id/reviews-summary', ({ params }) => {
      const { sku } = getProduct(params.id);
      const histogram = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
      for (const row of ratingHistogram.all(sku)) histogram[row.rating] = row.count;
      const count = Object.values(histogram).reduce((a, b) => a + b, 0);
      const sum = Object.entries(histogram).reduce((a, [rating, n]) => a + Number(rating) * n, 0);
      return {
        json: {
          sku,
          count,
          averageRating: count ? Math.round((sum / count) * 100) / 100 : null,
          histogram,
          recent: recentReviews.all(sku).map(toReview),
          top: toReview(topReview.get(sku)),
        },
      };
    });
}

const clamp = (n, min, max) => (Number.isFinite(n) ? Math.min(max, Math.max(min, Math.trunc(n))) : max);

const toProduct = (row) => ({
  id: row.id,
  sku: row.sku,
  name: row.name,
  category: row.category,
  ...(row.description !== undefined && { description: row.description }),
  priceCents: row.price_cents,
  stock: row.stock,
});

const toReview = (row) =>
  row && {
    author: row.author,
    rating: row.rating,
    body: row.body,
    createdAt: row.created_at,
    ...(row.helpful_votes !== undefined && { helpfulVotes: row.helpful_votes }),
  };
