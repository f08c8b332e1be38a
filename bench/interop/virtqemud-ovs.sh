# Sourced by virtqemud-inside.sh for `bench/interop/virtqemud --ovs`, with vnetd and virtqemud running in the
# private mount namespace: libvirt's QEMU driver plugs a domain into an Open vSwitch bridge through a vnetd network
# (<forward mode='bridge'><bridge name='ovsbr0'/><virtualport type='openvswitch'/>), as it does through libvirt's
# network driver. A private Open vSwitch (its database and ovs-vswitchd under this namespace's /run/openvswitch,
# where both daemons' ovs-vsctl look; userspace datapath, these kernels have no openvswitch module).
for c in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl; do
  command -v "$c" >/dev/null || fail "$c missing: scripts/setup installs openvswitch-switch"
done
mkdir -p /run/openvswitch
ovsdb-tool create /run/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server /run/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock --pidfile=/run/openvswitch/ovsdb-server.pid \
  --log-file="$work/ovsdb-server.log" >>"$work/ovs.stderr" 2>&1 &
opids="$!"
wait_for 30 "ovsdb-server answers" ovs-vsctl --no-wait init
ovs-vswitchd unix:/run/openvswitch/db.sock --pidfile=/run/openvswitch/ovs-vswitchd.pid \
  --log-file="$work/ovs-vswitchd.log" >>"$work/ovs.stderr" 2>&1 &
opids="$! $opids"
say ovs-vsctl --timeout=30 add-br ovsbr0 -- set Bridge ovsbr0 datapath_type=netdev
ip link set ovsbr0 up

cat > "$work/ovsnet.xml" <<XML
<network>
  <name>ovsnet</name>
  <forward mode='bridge'/>
  <bridge name='ovsbr0'/>
  <virtualport type='openvswitch'/>
  <portgroup name='blue' default='yes'>
    <vlan><tag id='42'/></vlan>
  </portgroup>
</network>
XML
say virsh -c "$N" net-define "$work/ovsnet.xml"
say virsh -c "$N" net-start ovsnet
sed -e "s/<source network='default'\\/>/<source network='ovsnet'\\/>/" "$work/guest.xml" > "$work/ovs-guest.xml"
say virsh -c "$Q" define "$work/ovs-guest.xml"
say virsh -c "$Q" start vnt-guest || fail "the domain did not start"
say virsh -c "$Q" domiflist vnt-guest
tap=$(virsh -q -c "$Q" domiflist vnt-guest | awk '{print $1}')
[ -n "$tap" ] || fail "no tap in domiflist"
say ovs-vsctl list-ports ovsbr0
ovs-vsctl list-ports ovsbr0 | grep -qx "$tap" || fail "$tap is not a port of ovsbr0"
say virsh -c "$N" net-port-list ovsnet
port=$(virsh -q -c "$N" net-port-list ovsnet | awk '{print $1}')
[ -n "$port" ] || fail "vnetd does not hold the domain's port"
say virsh -c "$N" net-port-dumpxml ovsnet "$port"
portxml=$(virsh -c "$N" net-port-dumpxml ovsnet "$port")
[[ "$portxml" == *"<virtualport type='openvswitch'>"* ]] || fail "the port has no Open vSwitch profile"
ifaceid=$(sed -n "s/.*interfaceid='\\([0-9a-f-]*\\)'.*/\\1/p" <<<"$portxml" | head -1)
[ -n "$ifaceid" ] || fail "the port has no interfaceid"
say ovs-vsctl get Interface "$tap" external_ids
ids=$(ovs-vsctl get Interface "$tap" external_ids)
# the external-ids libvirt's virNetDevOpenvswitchAddPort sets, from the port vnetd made
[[ "$ids" == *"attached-mac=\"$mac\""* ]] || fail "attached-mac is not the domain's MAC"
[[ "$ids" == *"iface-id=\"$ifaceid\""* ]] || fail "iface-id is not the interfaceid of vnetd's port"
[[ "$ids" == *"vm-id=\"6e7a0b1c-2d3e-4f50-8a61-7b8c9d0e1f21\""* ]] || fail "vm-id is not the domain's uuid"
say ovs-vsctl get Port "$tap" tag
[ "$(ovs-vsctl get Port "$tap" tag)" = 42 ] || fail "the portgroup's VLAN 42 is not the port's tag"

echo; echo "# virsh destroy: virtqemud takes the tap off the switch and deletes the port in vnetd"
say virsh -c "$Q" destroy vnt-guest
say ovs-vsctl list-ports ovsbr0
ovs-vsctl list-ports ovsbr0 | grep -qx "$tap" && fail "$tap is still a port of ovsbr0"
[ -z "$(virsh -q -c "$N" net-port-list ovsnet)" ] || fail "the port is still in vnetd after destroy"
say virsh -c "$Q" undefine vnt-guest
echo; echo "OK: a QEMU domain of virtqemud is on an Open vSwitch bridge through vnetd"
