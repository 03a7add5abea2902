// The studio: `shiki studio` serves it from the evaluation server as an
// extension (adapters/http/extension.h), so it is behind the same tokens,
// failed-authentication limit and audit log as the API. Its page is public
// (no data in it); everything else is a session of a token holder who may
// use the studio's ruleset, and saving needs an admin token.
#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "adapters/http/extension.h"
#include "studio/assets.h"
#include "studio/workspace.h"

namespace shiki::studio {

class Studio : public http::Extension {
 public:
  // `on_saved` runs after a save wrote the files (the server reloads its rulesets).
  Studio(std::shared_ptr<Workspace> workspace, Assets assets, std::function<void()> on_saved);
  const std::vector<http::ExtensionRoute>& routes() const override;
  http::Response handle(const http::ExtensionRoute& route, http::Request& req, http::ExtensionCall& call) override;

  static constexpr const char* kPath = "/studio";

 private:
  // A request that carries the editor's files, and their draft compiled.
  struct DraftRequest {
    nlohmann::json body;
    Files files;
    std::shared_ptr<const Draft> draft;
  };
  std::optional<DraftRequest> read_draft(const http::Request& req, http::Response& refused);
  http::Response page(const std::string& path) const;
  http::Response login(http::ExtensionCall& call) const;
  http::Response logout(const http::Request& req, http::ExtensionCall& call) const;
  http::Response workspace(http::ExtensionCall& call) const;
  http::Response check(const http::Request& req, http::ExtensionCall& call);
  http::Response households(const http::Request& req) const;
  http::Response household(const http::Request& req, http::ExtensionCall& call);
  http::Response compare(const http::Request& req, http::ExtensionCall& call);
  http::Response save(const http::Request& req, http::ExtensionCall& call);
  http::Response solve(const http::Request& req, http::ExtensionCall& call);

  std::shared_ptr<Workspace> ws_;
  Assets assets_;
  std::function<void()> on_saved_;
};

}  // namespace shiki::studio
