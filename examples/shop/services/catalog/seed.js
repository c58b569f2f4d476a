// Deterministic demo data: the same products and reviews on every start.
const ADJECTIVES = ['Classic', 'Compact', 'Deluxe', 'Everyday', 'Featherweight', 'Heritage', 'Modern', 'Rugged', 'Studio', 'Trail', 'Urban', 'Vintage'];
const MATERIALS = ['Bamboo', 'Canvas', 'Ceramic', 'Cotton', 'Copper', 'Leather', 'Linen', 'Oak', 'Steel', 'Wool'];
const ITEMS = [
  ['Backpack', 'bags'], ['Tote', 'bags'], ['Mug', 'kitchen'], ['Kettle', 'kitchen'], ['Cutting Board', 'kitchen'],
  ['Desk Lamp', 'home'], ['Throw Blanket', 'home'], ['Planter', 'home'], ['Notebook', 'stationery'],
  ['Fountain Pen', 'stationery'], ['Water Bottle', 'outdoors'], ['Camp Chair', 'outdoors'], ['Headphones', 'audio'],
];
const TAGLINES = ['Made to last.', 'A customer favourite.', 'Made in small batches.', 'Simple, sturdy, useful.', 'Our best seller this season.'];
const AUTHORS = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances', 'alan', 'radia', 'guido', 'anita'];
const REVIEW_BODIES = [
  'Exactly as described, and it arrived two days early.',
  'Good quality for the price. I would buy it again.',
  'The finish is a little rough around the edges, but it does the job.',
  'My second one — the first lasted years of daily use.',
  'Not what I expected from the photos; returned it.',
  'Beautiful, sturdy and well packed. Highly recommended.',
];

/** A small seeded PRNG (mulberry32): same seed, same sequence. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** `SKU-00042` for product 42. */
export const skuOf = (id) => `SKU-${String(id).padStart(5, '0')}`;

/**
 * Fills empty `products` and `reviews` tables in one transaction.
 * @param {import('better-sqlite3').Database} db
 * @param {{ products: number, reviews: number }} counts
 */
export function seed(db, { products, reviews }) {
  const rand = random(42);
  const insertProduct = db.prepare(
    'INSERT INTO products (id, sku, name, category, description, price_cents, stock) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertReview = db.prepare(
    'INSERT INTO reviews (product_sku, rating, author, body, helpful_votes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const start = Date.UTC(2024, 0, 1);
  db.transaction(() => {
    for (let id = 1; id <= products; id++) {
      const [item, category] = pick(rand, ITEMS);
      const name = `${pick(rand, ADJECTIVES)} ${pick(rand, MATERIALS)} ${item}`;
      const description = `${pick(rand, TAGLINES)} From our ${category} range.`;
      const priceCents = 500 + Math.floor(rand() * 300) * 50 - 1;
      const stock = Math.floor(rand() * 200);
      insertProduct.run(id, skuOf(id), name, category, description, priceCents, stock);
    }
    for (let i = 0; i < reviews; i++) {
      const sku = skuOf(1 + Math.floor(rand() * products));
      const rating = Math.min(5, 1 + Math.floor(rand() * 5.6));
      const createdAt = new Date(start + Math.floor(rand() * 500 * 86_400_000)).toISOString();
      insertReview.run(sku, rating, pick(rand, AUTHORS), pick(rand, REVIEW_BODIES), Math.floor(rand() * 40), createdAt);
    }
  })();
}
