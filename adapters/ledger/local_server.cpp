#include "adapters/ledger/local_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "adapters/ledger/errors.h"

namespace shiki::ledger {
namespace {

int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof a;
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &length) != 0) {
    if (s >= 0) ::close(s);
    throw LedgerError("cannot find a free TCP port on 127.0.0.1");
  }
  ::close(s);
  return ntohs(a.sin_port);
}

std::string tail(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

void ensure_user(const std::string& user) {
  if (::getpwnam(user.c_str())) return;
  if (run_command({"useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user},
                  "/dev/null") != 0 &&
      !::getpwnam(user.c_str()))  // another process may have created it meanwhile
    throw LedgerError(fmt::format("cannot create the system user {} to run PostgreSQL as", user));
}

}  // namespace

int run_command(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> LocalServer::as_owner(std::vector<std::string> command) const {
  if (::geteuid() != 0) return command;
  command.insert(command.begin(), {"runuser", "-u", options_.run_as, "--"});
  return command;
}

std::unique_ptr<LocalServer> LocalServer::start(const Options& options) {
  std::unique_ptr<LocalServer> s(new LocalServer());
  s->options_ = options;
  char tmpl[] = "/tmp/shiki-pg-XXXXXX";
  if (!::mkdtemp(tmpl)) throw LedgerError("cannot create a temporary folder for PostgreSQL");
  s->dir_ = tmpl;
  if (::geteuid() == 0) {
    ensure_user(options.run_as);
    const passwd* pw = ::getpwnam(options.run_as.c_str());
    if (::chown(s->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw LedgerError("cannot hand the temporary folder to " + options.run_as);
  }
  // The guardian: a shell that waits for this process's end of the pipe to
  // close (normal teardown, exit, crash or SIGKILL alike), then stops the
  // server and removes the folder. setsid keeps a terminal's Ctrl-C from
  // killing it before it has cleaned up.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw LedgerError("cannot create the guardian pipe");
  std::string stop;
  for (const auto& a : s->as_owner({options.bin_dir + "/pg_ctl", "-D", s->dir_ + "/data", "-m", "immediate",
                                    "-w", "stop"}))
    stop += "'" + a + "' ";
  std::string script = fmt::format("read _; {} >/dev/null 2>&1; rm -rf '{}'", stop, s->dir_);
  pid_t g = ::fork();
  if (g == 0) {
    ::setsid();
    ::dup2(fds[0], 0);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1), ::dup2(null, 2);
    ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  s->guardian_pipe_ = fds[1];
  s->guardian_pid_ = g;

  const std::string log = s->dir_ + "/setup.log";
  if (run_command(s->as_owner({options.bin_dir + "/initdb", "-D", s->dir_ + "/data", "-U", "shiki", "-A",
                               "trust", "-E", "UTF8", "--no-locale", "--no-sync"}),
                  log) != 0)
    throw LedgerError("initdb failed: " + tail(log));
  {
    std::ofstream conf(s->dir_ + "/data/postgresql.conf", std::ios::app);
    conf << "listen_addresses = '127.0.0.1'\nunix_socket_directories = '" << s->dir_ << "'\n";
    for (const auto& line : options.settings) conf << line << "\n";
  }
  s->pg_ctl_start();
  return s;
}

void LocalServer::pg_ctl_start() {
  const std::string log = dir_ + "/setup.log";
  // A free port can be taken between our probe and the server's bind; retry.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = attempt == 0 && port_ != 0 ? port_ : free_port();  // a restart keeps its port
    if (run_command(as_owner({options_.bin_dir + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log",
                              "-o", fmt::format("-p {}", port_), "-w", "-t", "60", "start"}),
                    log) == 0)
      return;
  }
  throw LedgerError("PostgreSQL did not start: " + tail(dir_ + "/server.log"));
}

LocalServer::~LocalServer() {
  if (guardian_pipe_ >= 0) ::close(guardian_pipe_);
  if (guardian_pid_ > 0) ::waitpid(guardian_pid_, nullptr, 0);
}

std::string LocalServer::conninfo(const std::string& database) const {
  return fmt::format("host=127.0.0.1 port={} user=shiki dbname={}", port_, database);
}

void LocalServer::create_database(const std::string& name) {
  pqxx::connection c(conninfo());
  pqxx::nontransaction n(c);
  n.exec("CREATE DATABASE " + n.quote_name(name));
}

void LocalServer::stop_now() {
  run_command(as_owner({options_.bin_dir + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "stop"}),
              dir_ + "/setup.log");
}

void LocalServer::start_again() { pg_ctl_start(); }

}  // namespace shiki::ledger
