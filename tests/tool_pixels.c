/*
 * tool_pixels: where a colour is in a picture, for the HTML report's
 * rendering check (tests/e2e/report.sh).  Reads a binary PPM (P6, what
 * netpbm's pngtopnm writes) and finds the pixels within TOL of colour
 * RRGGBB in every channel.
 *
 *   tool_pixels FILE.ppm RRGGBB [TOL]
 *
 * Prints "key value" lines on stdout:
 *
 *   size     WIDTH HEIGHT
 *   pixels   how many match
 *   run      X0 X1 TALLEST, once per run of neighbouring columns that hold a
 *            match (a bar of a chart), TALLEST the most matches in one of
 *            its columns (the bar's height)
 *
 * Exit status: 0, or 2 for bad usage or a file that is not a P6 PPM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the next header number, skipping blanks and comments. */
static long header_number(FILE *f)
{
	int c = fgetc(f);
	long v = 0;

	for (;;) {
		while (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			c = fgetc(f);
		if (c != '#')
			break;
		while (c != '\n' && c != EOF)
			c = fgetc(f);
	}
	if (c < '0' || c > '9')
		return -1;
	for (; c >= '0' && c <= '9'; c = fgetc(f))
		v = v * 10 + (c - '0');
	return v;
}

static int near(int a, int b, int tol)
{
	return abs(a - b) <= tol;
}

int main(int argc, char **argv)
{
	long w, h, max, tol = argc > 3 ? strtol(argv[3], NULL, 10) : 8;
	unsigned long colour, pixels = 0;
	unsigned char *row;
	unsigned *column;
	char magic[3] = "";
	FILE *f;

	if (argc < 3 || strlen(argv[2]) != 6) {
		fprintf(stderr, "usage: tool_pixels FILE.ppm RRGGBB [TOL]\n");
		return 2;
	}
	colour = strtoul(argv[2], NULL, 16);
	f = fopen(argv[1], "rb");
	if (!f || fread(magic, 1, 2, f) != 2 || strcmp(magic, "P6") != 0 ||
	    (w = header_number(f)) <= 0 || (h = header_number(f)) <= 0 ||
	    (max = header_number(f)) != 255 || w > 100000) {
		fprintf(stderr, "tool_pixels: %s: not an 8-bit P6 PPM\n", argv[1]);
		return 2;
	}
	row = malloc((size_t)w * 3);
	column = calloc((size_t)w, sizeof(*column));
	if (!row || !column)
		return 2;
	for (long y = 0; y < h; y++) {
		if (fread(row, 3, (size_t)w, f) != (size_t)w) {
			fprintf(stderr, "tool_pixels: %s: cut short\n", argv[1]);
			return 2;
		}
		for (long x = 0; x < w; x++)
			if (near(row[3 * x], (int)(colour >> 16 & 0xff), (int)tol) &&
			    near(row[3 * x + 1], (int)(colour >> 8 & 0xff), (int)tol) &&
			    near(row[3 * x + 2], (int)(colour & 0xff), (int)tol)) {
				column[x]++;
				pixels++;
			}
	}
	printf("size %ld %ld\npixels %lu\n", w, h, pixels);
	for (long x = 0; x < w; x++) {
		long x0 = x;
		unsigned tallest = 0;

		if (!column[x])
			continue;
		for (; x < w && column[x]; x++)
			tallest = column[x] > tallest ? column[x] : tallest;
		printf("run %ld %ld %u\n", x0, x - 1, tallest);
	}
	fclose(f);
	free(row);
	free(column);
	return 0;
}
