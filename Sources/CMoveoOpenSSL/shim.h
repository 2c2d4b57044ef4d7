#ifndef CMOVEO_OPENSSL_SHIM_H
#define CMOVEO_OPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

/// `OPENSSL_free` is a macro that passes `__FILE__`/`__LINE__`; Swift cannot call macros.
static inline void CMoveoOpenSSL_OPENSSL_free(void *addr) {
    OPENSSL_free(addr);
}

/// `BIO_get_mem_data` is a macro over `BIO_ctrl`; Swift cannot call macros.
static inline long CMoveoOpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

/// `EVP_RSA_gen` is a variadic macro over `EVP_PKEY_Q_keygen`; Swift cannot call either.
static inline EVP_PKEY *CMoveoOpenSSL_EVP_RSA_gen(unsigned int bits) {
    return EVP_RSA_gen(bits);
}

/// `EVP_PKEY_PUBLIC_KEY` is a compound macro constant that Swift does not import.
static inline int CMoveoOpenSSL_EVP_PKEY_PUBLIC_KEY(void) {
    return EVP_PKEY_PUBLIC_KEY;
}

/// `RSA_PKCS1_OAEP_PADDING` as a function, so Swift sees the exact C value.
static inline int CMoveoOpenSSL_RSA_PKCS1_OAEP_PADDING(void) {
    return RSA_PKCS1_OAEP_PADDING;
}

/// `EVP_PKEY_RSA` aliases `NID_rsaEncryption`; a function keeps the value exact for Swift.
static inline int CMoveoOpenSSL_EVP_PKEY_RSA(void) {
    return EVP_PKEY_RSA;
}

#endif
