/* mlkem.h: ML-KEM-512/768/1024 key encapsulation (FIPS 203), the project's own constant-time code. */
#ifndef MP_MLKEM_H
#define MP_MLKEM_H

#include <stddef.h>
#include <stdint.h>

#define MLKEM_SEED_BYTES	32	/* d, z and m */
#define MLKEM_SS_BYTES		32	/* shared secret K */
#define MLKEM_EK_MAX		1568
#define MLKEM_DK_MAX		3168
#define MLKEM_CT_MAX		1568

/* The parameter set, named by its module rank k. */
enum mlkem_level {
	MLKEM_512 = 2,
	MLKEM_768 = 3,
	MLKEM_1024 = 4,
};

size_t mlkem_ek_len(enum mlkem_level lvl);	/* 800 / 1184 / 1568 */
size_t mlkem_dk_len(enum mlkem_level lvl);	/* 1632 / 2400 / 3168 */
size_t mlkem_ct_len(enum mlkem_level lvl);	/* 768 / 1088 / 1568 */

/*
 * All functions return 0 or a negative mp_err code (common/err.h):
 * MP_ERR_INVALID_ARGUMENT for an unknown level, MP_ERR_KEY_LENGTH for an
 * input of the wrong length, MP_ERR_INVALID_KEY when a key fails its FIPS 203
 * section 7 check. Outputs are exactly ek/dk/ct_len(lvl) bytes long.
 * Secret intermediates are zeroed before returning.
 */

/* ML-KEM.KeyGen_internal(d, z). */
int mlkem_keygen_derand(enum mlkem_level lvl, const uint8_t d[MLKEM_SEED_BYTES],
    const uint8_t z[MLKEM_SEED_BYTES], uint8_t *ek, uint8_t *dk);
/* ML-KEM.KeyGen with fresh random d and z. */
int mlkem_keygen(enum mlkem_level lvl, uint8_t *ek, uint8_t *dk);

/* Encapsulation-key check of FIPS 203 section 7.2 (length and modulus). */
int mlkem_check_ek(enum mlkem_level lvl, const uint8_t *ek, size_t ek_len);
/* Decapsulation-key check of section 7.3 (length and the H(ek) hash check). */
int mlkem_check_dk(enum mlkem_level lvl, const uint8_t *dk, size_t dk_len);

/* ML-KEM.Encaps_internal(ek, m), after checking ek. */
int mlkem_encaps_derand(enum mlkem_level lvl, const uint8_t *ek, size_t ek_len,
    const uint8_t m[MLKEM_SEED_BYTES], uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES]);
/* ML-KEM.Encaps with a fresh random m. */
int mlkem_encaps(enum mlkem_level lvl, const uint8_t *ek, size_t ek_len,
    uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES]);

/* ML-KEM.Decaps after checking dk and the ciphertext length. A ciphertext
 * that does not re-encrypt gives the implicit-rejection key J(z||c) and
 * still returns 0, in constant time. */
int mlkem_decaps(enum mlkem_level lvl, const uint8_t *dk, size_t dk_len,
    const uint8_t *ct, size_t ct_len, uint8_t ss[MLKEM_SS_BYTES]);

#endif
