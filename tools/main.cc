// tools/main.cc: the `quarry` CLI entry point: dispatch to a registered subcommand.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "command.h"
#include "quarry/version.h"

namespace quarry::cli {

std::vector<Command>& Registry() {
  static std::vector<Command> commands;
  return commands;
}

bool RegisterCommand(const Command& c) {
  Registry().push_back(c);
  return true;
}

const std::vector<Command>& Commands() { return Registry(); }

std::string DataDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("QUARRY_DATA"); env && *env) return env;
  for (const char* dir : {QUARRY_INSTALL_DATA_DIR, QUARRY_SOURCE_DATA_DIR}) {
    if (fs::is_directory(fs::path(dir) / "gazetteers", ec) ||
        fs::is_directory(fs::path(dir) / "rules", ec))
      return dir;
  }
  return "";
}

void DefaultDataPath(std::vector<std::string>& paths, const char* folder) {
  namespace fs = std::filesystem;
  if (!paths.empty()) return;
  std::string data = DataDir();
  if (data.empty()) return;
  std::error_code ec;
  if (fs::is_directory(fs::path(data) / folder, ec)) paths.push_back((fs::path(data) / folder).string());
  // In the source tree, data generated at build time (the iso-codes gazetteer) sits in the
  // build folder; an installation has it under the same share folder.
  if (data == QUARRY_SOURCE_DATA_DIR && fs::is_directory(fs::path(QUARRY_BUILD_DATA_DIR) / folder, ec))
    paths.push_back((fs::path(QUARRY_BUILD_DATA_DIR) / folder).string());
}

}  // namespace quarry::cli

namespace {

void Usage(std::ostream& out) {
  out << "quarry " << quarry::kVersion
      << ": rule-based information extraction from analytical commentary\n\n"
         "usage: quarry COMMAND [OPTIONS] [ARGS]\n\ncommands:\n";
  auto cmds = quarry::cli::Commands();
  std::sort(cmds.begin(), cmds.end(),
            [](const auto& a, const auto& b) { return std::strcmp(a.name, b.name) < 0; });
  for (const auto& c : cmds) {
    std::string n = c.name;
    n.resize(std::max<size_t>(n.size() + 2, 18), ' ');
    out << "  " << n << c.summary << "\n";
  }
  out << "\n`quarry COMMAND --help` describes a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace quarry::cli;
  if (argc < 2) {
    Usage(std::cerr);
    return kExitUsage;
  }
  std::string first = argv[1];
  if (first == "--version" || first == "-V" || first == "version") {
    std::cout << "quarry " << quarry::kVersion << "\n";
    return kExitOk;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    Usage(std::cout);
    return kExitOk;
  }
  // Two-word commands first ("rules test"), then one-word ones.
  if (argc >= 3) {
    std::string two = first + " " + argv[2];
    for (const auto& c : Commands()) {
      if (two == c.name) {
        std::string name = two;
        argv[2] = name.data();
        return c.run(argc - 2, argv + 2);
      }
    }
  }
  for (const auto& c : Commands()) {
    if (first == c.name) return c.run(argc - 1, argv + 1);
  }
  std::cerr << "quarry: unknown command '" << first << "'\n";
  Usage(std::cerr);
  return kExitUsage;
}
