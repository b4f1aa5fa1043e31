// Runs the real `aisle` binary with arguments; stdout and stderr together.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace aisle::test {

struct Result {
  int code = -1;
  std::string output;  // stdout and stderr
};

// `environment`: "NAME=value ..." set for this run only (shell syntax), or empty.
inline Result run_aisle(const std::string& args, const std::string& environment = {}) {
  const std::string cmd =
      (environment.empty() ? "" : "env " + environment + " ") + std::string(AISLE_BINARY) + " " + args + " 2>&1";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.output.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace aisle::test
