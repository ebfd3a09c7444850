/* fuzz_logrecord.c: libFuzzer harness for the parent side of the log pipe (records from an untrusted child). */
#include <stddef.h>
#include <stdint.h>

#include "common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int n;

	log_init("fuzz", LOG_LEVEL_QUIET, LOG_TO_STDERR, 0);
	/* Consume records until the data runs out or one is refused. */
	while ((n = log_forward_record(data, len, "child")) > 0) {
		if ((size_t)n > len)
			__builtin_trap();
		data += n;
		len -= (size_t)n;
	}
	return 0;
}
