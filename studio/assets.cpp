#include "studio/assets.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace shiki::studio {

namespace {
std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw std::runtime_error(file.string() + " is missing: build the studio's page (cmake --build build --target studio_web)");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

Assets Assets::load(const std::filesystem::path& dir) {
  return Assets{slurp(dir / "index.html"), slurp(dir / "studio.js"), slurp(dir / "studio.css")};
}

std::filesystem::path default_web_dir() { return SHIKI_STUDIO_WEB_DIR; }

}  // namespace shiki::studio
