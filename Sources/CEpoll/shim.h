#pragma once
// Linux epoll, which Swift's Glibc module leaves out; part of libc, so nothing to link or install.
#include <sys/epoll.h>
