#!/usr/bin/env bash
# Starts the real program under Xvfb on a demo store, walks through the main
# screens with the keyboard, and saves a PNG of each to docs/screenshots/.
#   scripts/screenshots.sh            (make screenshots builds first)
# Needs: Xvfb, xdotool, ImageMagick (scripts/install-deps.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=bin/lapordesk
out=docs/screenshots
[[ -x $bin ]] || { echo "build first: make build" >&2; exit 1; }
for tool in Xvfb xdotool import curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool: scripts/install-deps.sh --test" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free display number.
disp=97
while [[ -e /tmp/.X11-unix/X$disp || -e /tmp/.X$disp-lock ]]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=":$disp"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

# Indonesian whatever the machine's locale; a demo store of Kabupaten Barru.
export LAPORDESK_LANG=id
db=$work/latihan.db
$bin --db "$db" demo --count 3000 >/dev/null

# start DB: runs the program and waits for its window.
win=""
start() {
  $bin --db "$1" >"$work/gui.log" 2>&1 &
  pids+=($!)
  win=$(xdotool search --sync --onlyvisible --name "LAPOR Desk" | head -1)
  sleep 2
}
stop() {
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
}
shot() { # shot NAME [SECONDS]: let the screen settle, then save the window
  sleep "${2:-1.2}"
  import -window "$win" "$out/$1.png"
  echo "$out/$1.png"
}
keys() { xdotool key --window "$win" --delay 120 "$@"; }

start "$db"
# Kotak Masuk with the first report open (keyboard: Ctrl+F, Down, Space).
keys ctrl+1 ctrl+f Down space
shot 01-kotak-masuk
# Dalam Proses: a report under way, with its actions.
keys ctrl+3 ctrl+f Down space
shot 02-dalam-proses
# Perlu Tindakan with the filter panel open (Tab from the search to Filter).
keys ctrl+2 ctrl+f Tab Tab Tab space
shot 03-perlu-tindakan
keys ctrl+f
# Search as you type.
keys ctrl+f
xdotool type --window "$win" --delay 60 "puskesmas antre"
shot 04-pencarian
keys Escape
# New report: the form with its required fields, then the errors beside them.
keys ctrl+n
xdotool type --window "$win" --delay 40 "Jalan rusak di Pancana"
shot 05-laporan-baru
keys Return
shot 06-laporan-baru-kesalahan
keys Escape
keys ctrl+8
shot 07-rekap 3
keys ctrl+9
shot 08-pengaturan
# Pengaturan › Cadangan (the tab strip has no keys: a click on its label, below
# the training band).
xdotool mousemove --window "$win" 1092 80 click 1
shot 11-cadangan
keys ctrl+1
# Print: a followed-up report of Menunggu Pelapor, Ctrl+P (a menu when it has
# more than one letter), the form of the letter.
keys ctrl+4 ctrl+f Down space ctrl+p
shot 09-cetak
keys Escape Escape
# Import: the wizard on a small CSV, its column mapping, then the preview (Enter
# presses the focused Lanjut / Pratinjau).
cat >"$work/laporan-november.csv" <<'CSV'
Judul;Isi Laporan;Tanggal;Kecamatan;Desa;Nama Pelapor;No HP;Klasifikasi;Kerahasiaan
Antrean panjang di Puskesmas Coppo;Pasien menunggu lebih dari tiga jam.;02/11/2026;Barru;Coppo;Siti Aminah;081234567801;Pengaduan;Biasa
Jalan berlubang di Palanro;Lubang besar di depan pasar membahayakan pengendara.;3 November 2026;Mallusetasi;Palanro;Andi Rahman;081234567802;Pengaduan;Biasa
Obat kosong di Puskesmas Ajakkang;Obat hipertensi kosong dua minggu.;31/11/2026;Soppeng Riaja;Ajakkang;;;Pengaduan;Anonim
CSV
keys ctrl+i
xdotool type --window "$win" --delay 20 "$work/laporan-november.csv"
keys Return
shot 10-impor 2
keys Return
shot 10-impor-pratinjau 2
keys Escape
stop

# An enrolled desk: a hub on loopback, a desk of Dinas Kesehatan that synced.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
hub="bin/lapordesk-server --db $work/hub.db"
$hub unit add DINKES "Dinas Kesehatan" >/dev/null
$hub serve --addr "127.0.0.1:$port" 2>"$work/hub.log" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
desk="$bin --db $work/dinkes.db"
$desk setup --unit DINKES --name "Dinas Kesehatan" --pemda "Kabupaten Barru" --place Barru --actor Andi >/dev/null
$desk add --title "Antrean panjang di Puskesmas Pancana" --body "Pasien menunggu sampai siang." \
  --reporter-name "Siti Aminah" --channel walk_in >/dev/null
$desk enroll --server "http://127.0.0.1:$port" --token "$($hub enroll --unit DINKES 2>/dev/null)" --name meja-andi >/dev/null
$desk sync >/dev/null 2>&1
start "$work/dinkes.db"
keys ctrl+9
xdotool mousemove --window "$win" 998 49 click 1
shot 12-hub
stop

# First run: a new data file asks for the unit and Pemda before anything else.
start "$work/baru.db"
shot 00-penyiapan
stop
