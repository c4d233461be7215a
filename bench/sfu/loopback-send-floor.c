/*
 * The kernel's share of forwarding one packet on this machine: sendto() of a 1200-byte UDP
 * datagram on loopback, with a receiver draining it in another process (on loopback the sender's
 * syscall also pays for delivering the datagram to the receiving socket). No JavaScript, no SRTP:
 * what any SFU on this machine pays per forwarded packet at the least.
 *
 *   gcc -O2 bench/sfu/loopback-send-floor.c -o /tmp/floor && /tmp/floor
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static double cpu_us(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

int main(void) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(39997);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  int r = socket(AF_INET, SOCK_DGRAM, 0);
  int big = 8 << 20;
  setsockopt(r, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  if (bind(r, (struct sockaddr *)&a, sizeof a) != 0) return 1;
  const int n = 200000;
  pid_t child = fork();
  if (child == 0) {
    char buf[2048];
    for (int i = 0; i < n - 1000 && recv(r, buf, sizeof buf, 0) > 0; i++) {}
    _exit(0);
  }
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  char pkt[1200];
  memset(pkt, 1, sizeof pkt);
  double t0 = cpu_us();
  for (int i = 0; i < n; i++) {
    sendto(s, pkt, sizeof pkt, 0, (struct sockaddr *)&a, sizeof a);
    if ((i & 1023) == 0) usleep(1000); /* let the receiver keep up: no drops at its buffer */
  }
  printf("%.2f us of CPU per 1200-byte loopback sendto (receiver in another process)\n", (cpu_us() - t0) / n);
  kill(child, SIGKILL);
  waitpid(child, 0, 0);
  return 0;
}
