#ifndef CMALLOC_H
#define CMALLOC_H

// glibc's allocator settings (<malloc.h>), which Swift's Glibc module does
// not export: `mallopt` and its `M_*` parameters import as they are.
#include <stdlib.h> // defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#endif
