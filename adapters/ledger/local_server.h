// A throw-away PostgreSQL cluster: initdb into a temporary folder, a free port
// on 127.0.0.1 and a socket in that folder, torn down afterwards. For the
// tests, the benchmark and demos, so nobody sets a server up by hand.
//
// PostgreSQL refuses to run as root; as root the cluster runs as an
// unprivileged system user (created if missing). A guardian process stops the
// server and removes the folder when this process ends, however it ends, so a
// crashed or killed test run leaves no server behind.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace shiki::ledger {

class LocalServer {
 public:
  struct Options {
    std::string bin_dir = "/usr/lib/postgresql/15/bin";
    std::string run_as = "shiki-test";       // used only when running as root
    std::vector<std::string> settings;       // extra postgresql.conf lines
  };

  // Throws LedgerError with the server's log tail when it cannot start.
  static std::unique_ptr<LocalServer> start(const Options& options);
  static std::unique_ptr<LocalServer> start() { return start(Options{}); }
  ~LocalServer();

  // libpq connection string for a database of this cluster.
  std::string conninfo(const std::string& database = "postgres") const;
  void create_database(const std::string& name);
  // Stops the server now (the tests' "server gone mid-run"); start_again()
  // brings the same cluster back.
  void stop_now();
  void start_again();
  int port() const { return port_; }
  const std::string& folder() const { return dir_; }

 private:
  LocalServer() = default;
  std::vector<std::string> as_owner(std::vector<std::string> command) const;
  void pg_ctl_start();
  Options options_;
  std::string dir_;
  int port_ = 0;
  int guardian_pipe_ = -1;
  int guardian_pid_ = -1;
};

// Runs argv (no shell), output to `log`; the exit status (or -1).
int run_command(const std::vector<std::string>& argv, const std::string& log);

}  // namespace shiki::ledger
