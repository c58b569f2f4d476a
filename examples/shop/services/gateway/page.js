// The shop's single page: a product grid, product details with reviews, and a
// checkout that calls POST /api/checkout with fetch. No build step, no framework.
// With real-user monitoring, the page loads rum.js first (module scripts run in order, so
// its fetch instrumentation is in place before the page's first fetch) and reads its
// settings from <meta name="slipway-rum">.

const escapeAttribute = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/**
 * The page, with the RUM script and its settings when `rum` is given.
 * @param {{ endpoint: string, key: string, serviceName: string, environment: string } | undefined} rum
 */
export function shopPage(rum) {
  if (!rum) return page.replace('<!--rum-->\n', '');
  const settings = `<meta name="slipway-rum" content="${escapeAttribute(JSON.stringify(rum))}">\n<script type="module" src="rum.js"></script>\n`;
  return page.replace('<!--rum-->\n', settings);
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Slipway Shop</title>
<link rel="icon" href="data:,">
<!--rum-->
<style>
  :root { --ink: #1d2433; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --accent: #1f6feb; --ok: #1a7f37; --bad: #cf222e; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
  header { display: flex; align-items: center; gap: 1rem; padding: 1rem 2rem; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { margin: 0; font-size: 1.25rem; }
  header label { margin-left: auto; color: var(--muted); font-size: .85rem; }
  header input { margin-left: .5rem; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 6px; font: inherit; width: 14rem; }
  main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem; }
  #grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1rem; display: flex; flex-direction: column; gap: .35rem; }
  .card h2 { margin: 0; font-size: 1rem; }
  .tag { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
  .price { font-weight: 600; font-size: 1.1rem; }
  .row { display: flex; gap: .5rem; margin-top: auto; padding-top: .5rem; }
  button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: .35rem .8rem; cursor: pointer; }
  button.buy { background: var(--accent); border-color: var(--accent); color: #fff; }
  button:disabled { opacity: .5; cursor: wait; }
  #detail { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
  #detail[hidden] { display: none; }
  .stars { color: #d4a017; letter-spacing: .1em; }
  blockquote { margin: .5rem 0; padding-left: .75rem; border-left: 3px solid var(--line); color: var(--muted); }
  #toast { position: fixed; right: 1.5rem; bottom: 1.5rem; max-width: 24rem; padding: .75rem 1rem; border-radius: 8px; color: #fff; box-shadow: 0 4px 16px rgba(0,0,0,.15); }
  #toast[hidden] { display: none; }
  #toast.ok { background: var(--ok); } #toast.bad { background: var(--bad); }
</style>
</head>
<body>
<header>
  <h1>🛶 Slipway Shop</h1>
  <label>Card <input id="card" value="4242 4242 4242 4242" autocomplete="off"></label>
</header>
<main>
  <section id="detail" hidden></section>
  <section id="grid" aria-live="polite">Loading products…</section>
</main>
<div id="toast" role="status" hidden></div>
<script type="module">
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const money = (cents) => (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  const stars = (n) => '★'.repeat(Math.round(n)) + '☆'.repeat(5 - Math.round(n));

  function toast(text, ok) {
    const el = $('toast');
    el.textContent = text;
    el.className = ok ? 'ok' : 'bad';
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (el.hidden = true), 5000);
  }

  async function api(path, init) {
    const res = await fetch(path, init);
    const body = await res.json().catch(() => ({}));
    return { ok: res.ok, status: res.status, body };
  }

  async function loadProducts() {
    const { ok, body } = await api('api/products?limit=24');
    if (!ok) return ($('grid').textContent = 'The catalog is unavailable right now.');
    $('grid').innerHTML = body.products.map((p) => \`
      <article class="card">
        <span class="tag">\${esc(p.category)} · \${esc(p.sku)}</span>
        <h2>\${esc(p.name)}</h2>
        <span class="price">\${money(p.priceCents)}</span>
        <span class="tag">\${p.stock > 0 ? p.stock + ' in stock' : 'sold out'}</span>
        <div class="row">
          <button data-details="\${p.id}">Details</button>
          <button class="buy" data-buy="\${p.id}" \${p.stock > 0 ? '' : 'disabled'}>Buy</button>
        </div>
      </article>\`).join('');
  }

  async function showDetails(id) {
    const { ok, body: p } = await api('api/products/' + id);
    const el = $('detail');
    el.hidden = false;
    if (!ok) return (el.textContent = 'Could not load this product.');
    const r = p.reviews;
    el.innerHTML = \`
      <span class="tag">\${esc(p.category)} · \${esc(p.sku)}</span>
      <h2>\${esc(p.name)} — \${money(p.priceCents)}</h2>
      <p>\${esc(p.description)}</p>
      \${r && r.count ? \`<p><span class="stars">\${stars(r.averageRating)}</span> \${r.averageRating} from \${r.count} reviews</p>
        \${r.recent.map((x) => \`<blockquote>\${stars(x.rating)} “\${esc(x.body)}” — \${esc(x.author)}</blockquote>\`).join('')}\`
        : '<p class="tag">No reviews yet.</p>'}\`;
    el.scrollIntoView({ behavior: 'smooth' });
  }

  async function buy(button, productId) {
    button.disabled = true;
    try {
      const { ok, body } = await api('api/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId, quantity: 1, card: $('card').value }),
      });
      if (ok) toast(\`Order \${body.id} confirmed: \${body.name}, \${money(body.totalCents)}\`, true);
      else toast(\`Checkout failed: \${body.error?.message ?? 'unknown error'}\`, false);
    } catch {
      toast('Checkout failed: the shop is unreachable', false);
    } finally {
      button.disabled = false;
    }
  }

  $('grid').addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (button?.dataset.details) void showDetails(button.dataset.details);
    if (button?.dataset.buy) void buy(button, Number(button.dataset.buy));
  });
  void loadProducts();
</script>
</body>
</html>
`;
