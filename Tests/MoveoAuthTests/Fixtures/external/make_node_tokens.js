// Makes identity tokens with Node's built-in crypto, for MoveoAuthTests (run once; the output is committed).
// node make_node_tokens.js > node_tokens.json
const crypto = require('crypto');
const fs = require('fs');
const customer = fs.readFileSync('customer_private.pem');
const platform = fs.readFileSync('platform_public.pem');
const CONTEXT = { user: { display_name: 'Node Client', is_vip: false, phone: '+123456789', external_details: { agent: 'C25' } } };
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function contextClaims(oaepHash) {
  const key = crypto.randomBytes(32), iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(CONTEXT), 'utf8'), cipher.final()]);
  const wrap = (data) => crypto.publicEncrypt({ key: platform, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data).toString('base64');
  return { context: ct.toString('base64'), encryption_key: wrap(key), init_vector: wrap(iv) };
}

function sign(claims) {
  const input = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' })) + '.' + b64url(JSON.stringify(claims));
  return input + '.' + b64url(crypto.createSign('RSA-SHA256').update(input).sign(customer));
}

const now = Math.floor(Date.now() / 1000);
const base = { iss: 'node-backend', sub: 'node-user-1', iat: now, exp: now + 10 };
console.log(JSON.stringify({
  created_at: now,
  context: CONTEXT,
  tokens: {
    plain: sign(base),
    context_aes256: sign({ ...base, ...contextClaims('sha256') }),
    context_sha1: sign({ ...base, ...contextClaims('sha1') }),
  },
}, null, 2));
