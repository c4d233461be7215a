{
  "targets": [
    {
      "target_name": "podium_udp",
      "sources": ["podium_udp.c"],
      "cflags": ["-O2", "-Wall", "-Wno-deprecated-declarations"]
    }
  ]
}
