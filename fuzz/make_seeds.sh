#!/usr/bin/env bash
# Writes the hand-made seed corpus: small spec edge cases, in the input
# format of src/script.rs (header byte, [limit], cutting plan, stream bytes).
# The same files seed decode, limits and stream.
set -euo pipefail
cd "$(dirname "$0")"

seed() { # name, then printf arguments for the whole input
    local name=$1; shift
    for target in decode limits stream; do
        mkdir -p "corpus/$target"
        printf "$@" > "corpus/$target/seed-$name"
    done
}

seed spec-examples '\x00data: YHOO\ndata: +2\ndata: 10\n\n: test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\ndata\n\ndata\ndata\n\ndata:\n'
seed event-type '\x00event: add\ndata: 1\n\nevent:\ndata: 2\n\nevent: a\n\ndata: 3\n\nevent:  b \nevent: c\ndata\n\n'
seed fields '\x20Data: x\nid : 1\ndata : 2\nfoo\nretry\nevent\n: \n:x\n::\ndata:a:b\n\n'
seed unterminated '\x00data: a\n\nid: 7\ndata: b'
# BOM: one dropped, split over chunks, a prefix that is not one, a second one, one per stream.
seed bom '\x00\xEF\xBB\xBFdata: x\n\n'
seed bom-split '\x01\x01\xEF\xBB\xBFdata: x\n\n'
seed bom-prefix '\x01\x02\xEF\xBBdata: x\n\ndata: y\n\n'
seed bom-twice '\x00\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: \xEF\xBB\xBFy\n\n'
seed bom-per-stream '\x02\x0C\xFF\xEF\xBB\xBFdata: 1\n\n\xEF\xBB\xBFdata: 2\n\n'
# Line ends: CRLF, CR, CR at a chunk end then LF or CR, CR at a stream end.
seed crlf '\x00data: a\r\ndata: b\r\n\r\nid: 1\r\n\r\n'
seed cr '\x00data: a\rdata: b\r\revent: e\rdata\r\r'
seed cr-at-chunk-end '\x03\x08\x09\x03data: a\r\ndata: b\r\n\r\n'
seed cr-cr-across-chunks '\x01\x08data: a\r\rdata: b\r\r'
seed cr-at-stream-end '\x02\x08\xFFdata: a\r\ndata: b\n\n'
seed lf-cr '\x00data: a\n\rdata: b\r\n\n'
# id: NUL ignored, empty resets, kept across events, pending one dropped at the end.
seed nul-in-id '\x00id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\nid\ndata: c\n\nid: \x00\n\nid: 4'
# UTF-8: invalid bytes, truncated sequences, characters split across chunks.
seed bad-utf8 '\x00data: a\xFFb\n\ndata: \xE2\x82\n\nevent: \xC3\ndata: \xF0\x9F\xA6\x80\n\nid: \xFE\ndata: x\n\n\xFF: y\n\n'
seed utf8-split '\x01\x01data: \xF0\x9F\xA6\x80 \xE2\x82\xAC\n\n'
# retry: overflow saturates, only digits count, read with next_frame.
seed retry '\x20retry: 99999999999999999999999\n\nretry: 5\nretry: 1x\nretry:\nretry: -1\nretry:  2\nretry: 0\n\n'
# Long lines: split over chunks, over a small limit, between small events.
seed long-line "\\x02\\x07\\x40data: $(printf 'x%.0s' {1..300})\\ndata: after\\n\\n"
seed long-line-limit "\\x12\\x20\\x07\\x40data: a\\n\\ndata: $(printf 'x%.0s' {1..100})\\nid: 1\\n\\ndata: b\\n\\n"
seed long-comment-limit "\\x31\\x10\\x05data: a\\n: $(printf 'c%.0s' {1..40})\\n\\ndata: b\\n\\n"
seed data-at-limit '\x11\x05\x08data: 12345\n\nevent: abcde\ndata: 1\n\ndata\ndata\ndata\n\n'
# Stream: empty chunks, pauses (Pending) and breaks (transport errors).
seed pauses-and-breaks '\x04\x05\x00\xFE\xFFdata: a\n\ndata: b\n\n: c\ndata: d\n\n'
