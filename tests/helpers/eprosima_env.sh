# Source (bash) to put eProsima's AML-IP first, as a user's setup.bash does: the file named by
# AMLIP_EPROSIMA_SETUP, else ../shared/peers/eprosima-amlip/env.sh beside the repository.
# Why the links: a copied install can hold its library symlinks as small text files naming the
# target ("file too short" from the loader); real links to those targets are made in a private
# folder put first on LD_LIBRARY_PATH. An install with real links is left as it is.
_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AMLIP_EPROSIMA_SETUP=${AMLIP_EPROSIMA_SETUP:-$_repo/../shared/peers/eprosima-amlip/env.sh}
if [ ! -f "$AMLIP_EPROSIMA_SETUP" ]; then
  echo "eProsima AML-IP not found: $AMLIP_EPROSIMA_SETUP" >&2
  return 1 2>/dev/null || exit 1
fi
source "$AMLIP_EPROSIMA_SETUP"
_links=${TMPDIR:-/tmp}/amlip-eprosima-links.$UID
mkdir -p "$_links"
IFS=: read -ra _dirs <<< "$LD_LIBRARY_PATH"
for _dir in "${_dirs[@]}"; do
  for _lib in "$_dir"/*.so*; do
    _target=$_lib
    while [ -f "$_target" ] && [ ! -L "$_target" ] && [ "$(stat -c %s "$_target")" -lt 256 ]; do
      _target=$_dir/$(cat "$_target")
    done
    if [ "$_target" != "$_lib" ]; then ln -sfn "$_target" "$_links/$(basename "$_lib")"; fi
  done
done
export LD_LIBRARY_PATH="$_links:$LD_LIBRARY_PATH"
unset _repo _links _dirs _dir _lib _target
