// tools/main.cc: the `quarry` CLI entry point: dispatch to a registered subcommand.
#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "command.h"
#include "common/source.h"
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

namespace {

bool HasData(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_directory(dir / "gazetteers", ec) ||
         std::filesystem::is_directory(dir / "rules", ec);
}

// <prefix>/share/quarry for an executable installed as <prefix>/bin/quarry.
std::filesystem::path BesideExecutable() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path().parent_path() / "share" / "quarry";
}

}  // namespace

std::vector<std::string> DataDirCandidates() {
  std::vector<std::string> out;
  if (std::filesystem::path b = BesideExecutable(); !b.empty()) out.push_back(b.string());
  if (const char* env = std::getenv("QUARRY_DATA"); env && *env) out.push_back(env);
  out.push_back(QUARRY_SOURCE_DATA_DIR);
  return out;
}

std::string DataDir() {
  // Beside the executable first (an installation finds its own data), then $QUARRY_DATA, then
  // the source tree the binary was built from.
  for (const std::string& dir : DataDirCandidates())
    if (HasData(dir)) return dir;
  return "";
}

std::string NoDataMessage() {
  std::string m = "no data folder (gazetteers/, rules/) found; looked in ";
  std::vector<std::string> c = DataDirCandidates();
  const char* env = std::getenv("QUARRY_DATA");
  if (!env || !*env) c.insert(c.begin() + 1, "$QUARRY_DATA (not set)");
  for (size_t i = 0; i < c.size(); ++i) m += (i ? ", " : "") + c[i];
  return m + ". Set QUARRY_DATA to the folder, or give -g/-r (or --no-gazetteers --no-rules)";
}

int ParseOptions(int argc, char** argv, const boost::program_options::options_description& desc,
                 std::vector<std::string>* positional, boost::program_options::variables_map& vm) {
  namespace po = boost::program_options;
  po::options_description all;
  all.add(desc);
  po::positional_options_description pos;
  if (positional) {
    po::options_description hidden;
    hidden.add_options()("quarry-positional", po::value(positional)->composing());
    all.add(hidden);
    pos.add("quarry-positional", -1);
  }
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "quarry " << argv[0] << ": " << e.what() << "\n(see quarry " << argv[0]
              << " --help)\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return kExitOk;
  }
  return -1;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string DefaultDataPath(std::vector<std::string>& paths, const char* folder) {
  namespace fs = std::filesystem;
  const bool gaz = std::string_view(folder) == "gazetteers";
  const std::vector<std::string> exts =
      gaz ? std::vector<std::string>{".gaz"} : std::vector<std::string>{".qr", ".qv", ".qa"};
  const std::string ext = gaz ? ".gaz" : ".qr";
  std::error_code ec;
  if (!paths.empty()) {
    // A folder named explicitly without any data file of its kind is a mistake (a wrong folder or
    // extension) that would otherwise silently run without that stage.
    for (const std::string& p : paths) {
      if (!fs::is_directory(p, ec)) continue;
      auto found = quarry::internal::ExpandPaths({p}, exts);
      if (found && found->empty())
        return p + ": folder has no " + (gaz ? "*.gaz" : "*.qr, *.qv or *.qa") + " files";
    }
    return "";
  }
  std::string data = DataDir();
  // Asked for the shipped data and there is none: an error, never an empty success.
  if (data.empty()) return NoDataMessage();
  // A shipped folder only when it holds data of its kind.
  auto add = [&](const fs::path& dir) {
    if (!fs::is_directory(dir, ec)) return;
    auto found = quarry::internal::ExpandPaths({dir.string()}, {ext});
    if (found && !found->empty()) paths.push_back(dir.string());
  };
  add(fs::path(data) / folder);
  // In the source tree, data generated at build time (the iso-codes gazetteer) sits in the
  // build folder; an installation has it under the same share folder.
  if (data == QUARRY_SOURCE_DATA_DIR) add(fs::path(QUARRY_BUILD_DATA_DIR) / folder);
  return "";
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
  // Past a file size limit (ulimit -f), write() then fails with EFBIG and the error is reported
  // for the file being written, instead of the process dying of SIGXFSZ mid-batch.
  std::signal(SIGXFSZ, SIG_IGN);
  if (argc < 2) {
    Usage(std::cerr);
    return kExitUsage;
  }
  std::string first = argv[1];
  if (first == "--version" || first == "-V" || first == "version") {
    std::string data = DataDir();
    std::cout << "quarry " << quarry::kVersion << "\n"
              << "data: " << (data.empty() ? "(none found)" : data) << "\n";
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
