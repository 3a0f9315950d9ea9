/* UTF-8 as coach reads it from files and sockets: one strict decoder, so that
 * the routine parser, the control protocol, the history and the output rule
 * (safetext) agree on what a character is. */
#ifndef COACH_UTF8_H
#define COACH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Bytes in the sequence the lead byte B starts, or 0 for a byte that cannot
 * start one (a continuation byte, 0xc0, 0xc1, 0xf5-0xff). */
size_t utf8_lead_len(unsigned char b);

/* Length of the valid UTF-8 sequence at S (N bytes available, N > 0) with its
 * code point in *CP, or 0 for an invalid one: a bad lead or continuation
 * byte, overlong, a surrogate, past U+10FFFF, or cut short. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
