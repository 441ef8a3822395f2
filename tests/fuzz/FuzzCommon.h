#pragma once
/// \file
/// Shared by the libFuzzer targets in tests/fuzz: a check that aborts with a message
/// (libFuzzer then saves the input as crash-*), independent of NDEBUG.

#include <cstdio>
#include <cstdlib>

#define ATM_FUZZ_CHECK(Cond, ...)                                                       \
  do {                                                                                 \
    if (!(Cond)) {                                                                     \
      std::fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #Cond, __FILE__, __LINE__); \
      std::fprintf(stderr, __VA_ARGS__);                                               \
      std::fputc('\n', stderr);                                                        \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)
