"""Makes identity tokens with Python's `cryptography`, for MoveoAuthTests (run once; the output is committed).

python3 make_python_tokens.py > python_tokens.json
"""
import base64, json, os, time
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def b64url(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def load(path, private):
    data = open(path, "rb").read()
    return serialization.load_pem_private_key(data, None) if private else serialization.load_pem_public_key(data)

customer = load("customer_private.pem", True)
platform = load("platform_public.pem", False)
CONTEXT = {"user": {"display_name": "Python Client", "is_vip": True, "email": "py@example.com", "tier": 3}}

def oaep(mgf_hash, hash_):
    return rsa_padding.OAEP(mgf=rsa_padding.MGF1(algorithm=mgf_hash), algorithm=hash_, label=None)

def context_claims(scheme, key_len=32):
    key, iv = os.urandom(key_len), os.urandom(16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(CONTEXT).encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ct = enc.update(plain) + enc.finalize()
    return {"context": base64.b64encode(ct).decode(),
            "encryption_key": base64.b64encode(platform.encrypt(key, scheme)).decode(),
            "init_vector": base64.b64encode(platform.encrypt(iv, scheme)).decode()}

def sign(claims):
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    sig = customer.sign(signing_input, rsa_padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64url(sig)}"

now = int(time.time())
base = {"iss": "python-backend", "sub": "py-user-1", "iat": now, "exp": now + 10}
print(json.dumps({
    "created_at": now,
    "context": CONTEXT,
    "tokens": {
        "plain": sign(base),
        "context_aes256": sign({**base, **context_claims(oaep(hashes.SHA256(), hashes.SHA256()))}),
        "context_aes128": sign({**base, **context_claims(oaep(hashes.SHA256(), hashes.SHA256()), 16)}),
        "context_sha256_mgf1sha1": sign({**base, **context_claims(oaep(hashes.SHA1(), hashes.SHA256()))}),
    },
}, indent=2))
