/* encode.c: strict base64 and hex encoding and decoding. */
#include <string.h>

#include "common/encode.h"
#include "common/err.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 3 <= len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = b64_alphabet[v >> 6 & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		if (pad) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = b64_alphabet[v >> 6 & 63];
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
}

static int
b64_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64_alphabet, c)) == NULL)
		return -1;
	return (int)(p - b64_alphabet);
}

/* Number of data characters in text, after checking its padding. */
static int
b64_data_chars(const char *text, size_t text_len, int pad, size_t *n)
{
	size_t padding = 0;

	if (pad) {
		if (text_len % 4 != 0)
			return MP_ERR_INVALID_FORMAT;
		while (padding < 2 && padding < text_len &&
		    text[text_len - 1 - padding] == '=')
			padding++;
	}
	*n = text_len - padding;
	if (*n % 4 == 1)
		return MP_ERR_INVALID_FORMAT;
	if (pad && padding != (4 - *n % 4) % 4)
		return MP_ERR_INVALID_FORMAT;
	return 0;
}

int
b64_decode(const char *text, size_t text_len, uint8_t *out, size_t out_cap,
    size_t *out_len, int pad)
{
	size_t n, i, o = 0, need;
	uint32_t acc = 0;
	int r, v, bits = 0;

	if ((r = b64_data_chars(text, text_len, pad, &n)) != 0)
		return r;
	need = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
	if (need > out_cap)
		return MP_ERR_NO_SPACE;
	for (i = 0; i < n; i++) {
		if ((v = b64_value(text[i])) < 0)
			return MP_ERR_INVALID_FORMAT;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero: exactly one encoding per value. */
	if ((acc & ((1u << bits) - 1)) != 0)
		return MP_ERR_INVALID_FORMAT;
	*out_len = o;
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

static int
hex_value(char c)
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
		hi = hex_value(text[2 * i]);
		lo = hex_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return MP_ERR_INVALID_FORMAT;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*out_len = text_len / 2;
	return 0;
}
