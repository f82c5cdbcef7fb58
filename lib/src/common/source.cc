// common/source.cc: expanding and reading data files.
#include "common/source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "common/binary.h"
#include "common/utf8.h"

namespace quarry::internal {

namespace fs = std::filesystem;

Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::vector<std::string>& extensions) {
  auto named = ExpandNamedPaths(paths, extensions);
  if (!named) return named.error();
  std::vector<std::string> out;
  for (auto& [path, name] : *named) out.push_back(std::move(path));
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ExpandNamedPaths(
    const std::vector<std::string>& paths, const std::vector<std::string>& extensions) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      return Status(StatusCode::kNotFound, p + ": no such file or folder");
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string name = it->path().string();
        for (const std::string& ext : extensions) {
          if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
            found.push_back(name);
            break;
          }
        }
      }
      if (ec) return Status(StatusCode::kIoError, p + ": cannot list folder (" + ec.message() + ")");
      std::sort(found.begin(), found.end());
      // Named from the folder's own name down: "/opt/x/rules/a.qr" given as "/opt/x/rules" is
      // "rules/a.qr".
      fs::path folder = fs::absolute(fs::path(p), ec).lexically_normal();
      if (!folder.has_filename()) folder = folder.parent_path();
      for (std::string& f : found) {
        fs::path rel = fs::path(f).lexically_relative(p);
        std::string name = (folder.filename() / rel).generic_string();
        if (rel.empty() || folder.filename().empty()) name = f;
        out.emplace_back(std::move(f), std::move(name));
      }
    } else {
      out.emplace_back(p, p);
    }
  }
  return out;
}

void WriteSources(BinaryWriter& w, const std::vector<SourceFile>& files) {
  w.U64(files.size());
  for (const SourceFile& f : files) {
    w.Str(f.name);
    w.Str(f.content);
  }
}

std::vector<SourceFile> ReadSources(BinaryReader& r) {
  std::vector<SourceFile> out;
  uint64_t n = r.Count(16);
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    SourceFile f;
    f.name = std::string(r.Str());
    f.content = std::string(r.Str());
    out.push_back(std::move(f));
  }
  return out;
}

Status CheckBundledUtf8(const std::vector<SourceFile>& files, const std::string& path,
                        const char* what) {
  for (const SourceFile& f : files) {
    if (FindInvalidUtf8(f.name) != std::string::npos || FindInvalidUtf8(f.content) != std::string::npos)
      return Status(StatusCode::kDataLoss, path + ": bundled " + what + " is not valid UTF-8");
  }
  return Status();
}

Status InvalidUtf8Error(const std::string& file, std::string_view content, size_t bad) {
  auto [line, col] = LineColumn(content, bad);
  Diagnostic d;
  d.file = file;
  d.line = static_cast<uint32_t>(line);
  d.column = static_cast<uint32_t>(col);
  d.byte_offset = bad;
  d.message = "invalid UTF-8 at byte " + std::to_string(bad) + "; data files must be UTF-8";
  d.snippet = Excerpt(content, bad);
  return Status(StatusCode::kInvalidInput, file + ": invalid UTF-8 at byte " + std::to_string(bad) +
                                               " (line " + std::to_string(line) + ", column " +
                                               std::to_string(col) + ")")
      .WithDiagnostics({d});
}

Result<std::vector<SourceFile>> LoadSources(const std::vector<std::string>& paths,
                                            const std::vector<std::string>& extensions) {
  auto files = ExpandNamedPaths(paths, extensions);
  if (!files) return files.error();
  std::vector<SourceFile> out;
  for (const auto& [f, name] : *files) {
    Result<std::string> data = ReadFile(f);
    if (!data) return data.error();
    size_t bad = FindInvalidUtf8(*data);
    if (bad != std::string::npos) return InvalidUtf8Error(name, *data, bad);
    out.push_back({name, std::move(*data), f});
  }
  return out;
}

}  // namespace quarry::internal
