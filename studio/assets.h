// The studio's page: index.html and the bundle esbuild made of studio/web/src
// at build time (studio.js, studio.css), read once at start-up.
#pragma once
#include <filesystem>
#include <string>

namespace shiki::studio {

struct Assets {
  std::string index_html, script, style;
  // Throws std::runtime_error naming the missing file (the bundle is built
  // by the `studio_web` target: npm ci, then esbuild).
  static Assets load(const std::filesystem::path& dir);
};

// Where the build put the bundle (a compile definition), for `--web`'s default.
std::filesystem::path default_web_dir();

}  // namespace shiki::studio
