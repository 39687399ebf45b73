/*
 * What OpenSSL's own EVP API costs per WireGuard-style packet, in C: the ceiling of any engine that
 * seals one packet per EVP_CipherInit_ex (platoon's openssl engine makes the same four calls through
 * the FFM API). `openssl speed -evp chacha20-poly1305` streams one message through EVP_CipherUpdate
 * and pays none of the per-packet init, final and tag work this measures.
 *
 *   cc -O2 evp_per_packet.c -o evp_per_packet -lcrypto && ./evp_per_packet 1400 64
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void run(int len) {
    unsigned char key[32] = {1}, nonce[12] = {0};
    unsigned char *buf = aligned_alloc(64, 70016);
    int outl;
    memset(buf, 7, 70016);
    EVP_CIPHER *aead = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    EVP_CipherInit_ex(ctx, aead, NULL, key, nonce, 1);
    OSSL_PARAM tag[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, buf + len, 16),
                         OSSL_PARAM_construct_end()};
    const char *what[] = {"per packet: init(nonce) + update + final + tag", "per packet: init(nonce) only",
                          "streaming: update only (what openssl speed measures)"};
    for (int mode = 0; mode < 3; mode++) {
        long n = 0;
        double t0 = now();
        while (now() - t0 < 1.0) {
            for (int i = 0; i < 1000; i++, n++) {
                memcpy(nonce + 4, &n, 8);
                if (mode < 2) {
                    EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, 1);
                }
                if (mode != 1) {
                    EVP_CipherUpdate(ctx, buf, &outl, buf, len);
                }
                if (mode == 0) {
                    EVP_CipherFinal_ex(ctx, buf + len, &outl);
                    EVP_CIPHER_CTX_get_params(ctx, tag);
                }
            }
        }
        double dt = now() - t0;
        printf("%5d B  %-52s %6.0f ns  %5.2f GB/s\n", len, what[mode], dt / n * 1e9, n * (double) len / dt / 1e9);
    }
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(aead);
    free(buf);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        run(atoi(argv[i]));
    }
    return 0;
}
