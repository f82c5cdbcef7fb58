// tools/command.h: how a subcommand of the `quarry` CLI registers itself.
//
// Each subcommand lives in its own file and registers with QUARRY_COMMAND; main.cc dispatches on
// the first argument. A command returns the process exit code: 0 success, 1 some input failed,
// 2 bad usage or unusable configuration.
#ifndef QUARRY_TOOLS_COMMAND_H_
#define QUARRY_TOOLS_COMMAND_H_

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace quarry::cli {

using CommandFn = int (*)(int argc, char** argv);

struct Command {
  const char* name;     // "annotate", "rules test", ...: one or two words
  const char* summary;  // one line for `quarry --help`
  CommandFn run;        // receives argv[0] = the command name
};

bool RegisterCommand(const Command& c);
const std::vector<Command>& Commands();

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// The extensions of the text files a folder given as INPUT is searched for.
inline const std::vector<std::string> kTextExtensions = {".txt", ".text", ".md"};

// The folder of the shipped data (gazetteers/, rules/): <prefix>/share/quarry beside the
// executable (<prefix>/bin/quarry), else $QUARRY_DATA, else the source tree the binary was built
// from. Empty when none exists.
std::string DataDir();
// The folders DataDir() looks in, in order.
std::vector<std::string> DataDirCandidates();

// The non-empty items of a comma-separated option value ("a,b,,c" -> a, b, c).
std::vector<std::string> SplitList(const std::string& s);

// Parses argv (argv[0] is the command's name) against `desc`; the positional arguments go to
// `positional` when it is not null (otherwise none are accepted). Returns -1 to go on, or the exit
// code to return: kExitOk after printing --help, kExitUsage after a message naming the command.
int ParseOptions(int argc, char** argv, const boost::program_options::options_description& desc,
                 std::vector<std::string>* positional, boost::program_options::variables_map& vm);

// Fills `paths` with DataDir()/`folder` ("gazetteers" or "rules") when the user named none and
// that folder holds data files (*.gaz; *.qr, *.qv, *.qa). Returns an error message ("" when fine)
// when a folder the user named holds none, or when the user named none and no data folder
// exists (asking for the defaults and finding none is an error, naming where it looked).
std::string DefaultDataPath(std::vector<std::string>& paths, const char* folder);

}  // namespace quarry::cli

#define QUARRY_CAT2(a, b) a##b
#define QUARRY_CAT(a, b) QUARRY_CAT2(a, b)
#define QUARRY_COMMAND(name, summary, fn) \
  static const bool QUARRY_CAT(quarry_registered_, __LINE__) = \
      ::quarry::cli::RegisterCommand({name, summary, fn})

#endif  // QUARRY_TOOLS_COMMAND_H_
