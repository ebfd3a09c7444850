/* encode.c: strict base64 and hex encoding and decoding. */
#include <string.h>
#include <sodium.h>

#include "common/encode.h"
#include "common/err.h"

/*
 * Base64 goes through libsodium's constant-time codec: private key files
 * carry secret key bytes in base64, so neither the encoder nor the decoder
 * may branch on or index memory by the data.
 */
static int
b64_variant(int pad)
{
	return pad ? sodium_base64_VARIANT_ORIGINAL :
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
}

size_t
b64_encoded_len(size_t len, int pad)
{
	if (pad)
		return (len + 2) / 3 * 4;
	return len / 3 * 4 + (len % 3 == 0 ? 0 : len % 3 + 1);
}

void
b64_encode(const uint8_t *in, size_t len, char *out, int pad)
{
	sodium_bin2base64(out, b64_encoded_len(len, pad) + 1, in, len,
	    b64_variant(pad));
}

/* Bytes that text_len characters decode to, from the length and padding
 * alone (both public); only meaningful for valid input. */
static size_t
b64_decoded_len(const char *text, size_t text_len, int pad)
{
	size_t n = text_len;

	while (pad && n > 0 && text_len - n < 2 && text[n - 1] == '=')
		n--;
	return n / 4 * 3 + (n % 4 > 1 ? n % 4 - 1 : 0);
}

/* 1 if every byte is 7-bit, without a branch per byte. libsodium 1.0.18
 * takes some bytes >= 0x80 for alphabet characters ('/' | 0x80 decodes as
 * '/'), so they are refused here first. */
static int
all_ascii(const char *text, size_t len)
{
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= (unsigned char)text[i];
	return (acc & 0x80) == 0;
}

int
b64_decode(const char *text, size_t text_len, uint8_t *out, size_t out_cap,
    size_t *out_len, int pad)
{
	size_t n;

	if (!all_ascii(text, text_len))
		return MP_ERR_INVALID_FORMAT;
	if (b64_decoded_len(text, text_len, pad) > out_cap)
		return MP_ERR_NO_SPACE;
	if (sodium_base642bin(out, out_cap, text, text_len, NULL, &n, NULL,
	    b64_variant(pad)) != 0)
		return MP_ERR_INVALID_FORMAT;
	*out_len = n;
	return 0;
}

void
hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int
hex_digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hex_decode(const char *text, size_t text_len, uint8_t *out, size_t out_cap,
    size_t *out_len)
{
	size_t i;
	int hi, lo;

	if (text_len % 2 != 0)
		return MP_ERR_INVALID_FORMAT;
	if (text_len / 2 > out_cap)
		return MP_ERR_NO_SPACE;
	for (i = 0; i < text_len / 2; i++) {
		hi = hex_digit_value(text[2 * i]);
		lo = hex_digit_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return MP_ERR_INVALID_FORMAT;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*out_len = text_len / 2;
	return 0;
}
