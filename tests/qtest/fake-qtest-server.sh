#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fake-qtest-server.sh - a stand-in for tern on the qtest stdio transport, so
# that test-libqtest.c can make the client meet the servers tern never is:
# odd replies, a server that dies, exits, stops reading or closes its end.
# It takes the arguments the client gives tern and acts on the file named
# by "-fake-script FILE", one action per line:
#   reply TEXT   read one request line, then print TEXT (printf %b: "\n" in
#                TEXT gives several lines, as IRQ lines before a reply)
#   eat          read one request line and say nothing
#   exit N       end with status N
#   kill         end by SIGKILL
#   deaf         stop reading (sleep), leaving stdin open
#   close        close stdout and keep reading stdin until it ends
# When the script runs out, it reads (and ignores) stdin until it ends, and
# SIGTERM (qtest_quit) ends it with status 0, as it ends tern.
script=
while [ $# -gt 0 ]; do
    if [ "$1" = -fake-script ]; then
        script=$2
    fi
    shift
done
[ -n "$script" ] || { echo "fake-qtest-server: no -fake-script" >&2; exit 2; }
exec 3<"$script"
while IFS= read -r action <&3; do
    case $action in
    "reply "*)
        IFS= read -r request || exit 0
        printf '%b\n' "${action#reply }"
        ;;
    eat) IFS= read -r request || exit 0 ;;
    "exit "*) exit "${action#exit }" ;;
    kill) kill -KILL $$ ;;
    deaf) exec sleep 120 ;;
    close) exec 1>&- ;;
    *) echo "fake-qtest-server: bad action '$action'" >&2; exit 2 ;;
    esac
done
trap 'exit 0' TERM
while IFS= read -r request; do
    :
done
