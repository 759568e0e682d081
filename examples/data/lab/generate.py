import json, os
B = 1795165200
OUT = os.path.dirname(os.path.abspath(__file__))
os.makedirs(OUT, exist_ok=True)
HOST = "lab-docker-01"
C1 = "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"
C2 = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"
EXEC1 = "b7e0c9d8a1f2e3d4c5b6a7980f1e2d3c4b5a69788f7e6d5c4b3a2918f7e6d5c4"
GS = "\x1d"

# ---------------- audit.log (ENRICHED, node= prefix as with name_format=hostname) ----------
audit = []
serial = [1200]
def hx(s): return s.encode().hex().upper()
def rec(t, typ, body, enr=None):
    line = f"node={HOST} type={typ} msg=audit({t:.3f}:{serial[0]}): {body}"
    if enr: line += GS + enr
    audit.append((t, serial[0], line))
def next_serial(): serial[0] += 1
def user_rec(t, typ, pid, uid, auid, ses, inner, enr):
    next_serial()
    rec(t, typ, f"pid={pid} uid={uid} auid={auid} ses={ses} subj=unconfined msg='{inner}'", enr)

NAMES = {0: "root", 1000: "alice", 1001: "bob", 4294967295: "unset"}
def idenr(uid, auid): return f'UID="{NAMES[uid]}" AUID="{NAMES[auid]}"'

def ssh_login(t, pid, user, uid, ses, addr):
    user_rec(t, "USER_AUTH", pid, 0, 4294967295, 4294967295, f'op=PAM:authentication grantors=pam_permit acct="{user}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success', idenr(0, 4294967295))
    user_rec(t+0.004, "USER_ACCT", pid, 0, 4294967295, 4294967295, f'op=PAM:accounting grantors=pam_permit acct="{user}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success', idenr(0, 4294967295))
    user_rec(t+0.006, "CRED_ACQ", pid, 0, 4294967295, 4294967295, f'op=PAM:setcred grantors=pam_permit,pam_cap acct="{user}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success', idenr(0, 4294967295))
    next_serial()
    rec(t+0.010, "LOGIN", f"pid={pid} uid=0 subj=unconfined old-auid=4294967295 auid={uid} tty=(none) old-ses=4294967295 ses={ses} res=1", f'UID="root" OLD-AUID="unset" AUID="{user}"')
    user_rec(t+0.030, "USER_START", pid, 0, uid, ses, f'op=PAM:session_open grantors=pam_selinux,pam_loginuid,pam_keyinit,pam_permit,pam_umask,pam_unix,pam_systemd,pam_mail,pam_limits,pam_env,pam_env,pam_selinux,pam_tty_audit acct="{user}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success', idenr(0, uid))
    user_rec(t+0.060, "CRED_ACQ", pid+2, 0, uid, ses, f'op=PAM:setcred grantors=pam_permit,pam_cap acct="{user}" exe="/usr/sbin/sshd" hostname={addr} addr={addr} terminal=ssh res=success', idenr(0, uid))
    user_rec(t+0.070, "USER_LOGIN", pid, 0, uid, ses, f'op=login id={uid} exe="/usr/sbin/sshd" hostname=? addr={addr} terminal=/dev/pts/0 res=success', f'UID="root" AUID="{user}" ID="{user}"')

def sudo_docker(t, sudo_pid, auid, ses, argv, cwd, tty="pts0"):
    user = NAMES[auid]
    cmd = " ".join(argv)
    user_rec(t, "USER_ACCT", sudo_pid, auid, auid, ses, f'op=PAM:accounting grantors=pam_permit acct="{user}" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/{tty.replace("pts","pts/")} res=success', idenr(auid, auid))
    user_rec(t+0.001, "USER_CMD", sudo_pid, auid, auid, ses, f'cwd="{cwd}" cmd={hx(cmd)} exe="/usr/bin/sudo" terminal={tty.replace("pts","pts/")} res=success', idenr(auid, auid))
    user_rec(t+0.002, "CRED_REFR", sudo_pid, 0, auid, ses, f'op=PAM:setcred grantors=pam_permit acct="root" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/{tty.replace("pts","pts/")} res=success', idenr(0, auid))
    user_rec(t+0.004, "USER_START", sudo_pid, 0, auid, ses, f'op=PAM:session_open grantors=pam_limits,pam_permit,pam_umask,pam_unix acct="root" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/{tty.replace("pts","pts/")} res=success', idenr(0, auid))
    # the watched binary is executed by sudo's child
    next_serial()
    te = t + 0.009
    pid = sudo_pid + 2
    rec(te, "SYSCALL", f'arch=c000003e syscall=59 success=yes exit=0 a0=5581c1e3d0a0 a1=5581c1e3c6f0 a2=5581c1e45aa0 a3=8 items=2 ppid={sudo_pid+1} pid={pid} auid={auid} uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty={tty} ses={ses} comm="docker" exe="/usr/bin/docker" subj=unconfined key="docker-daemon"',
        f'ARCH=x86_64 SYSCALL=execve AUID="{user}" UID="root" GID="root" EUID="root" SUID="root" FSUID="root" EGID="root" SGID="root" FSGID="root"')
    args = " ".join(f'a{i}="{a}"' if all(c.isalnum() or c in "-_/.:" for c in a) else f"a{i}={hx(a)}" for i, a in enumerate(argv))
    rec(te, "EXECVE", f"argc={len(argv)} {args}")
    rec(te, "CWD", f'cwd="{cwd}"')
    rec(te, "PATH", 'item=0 name="/usr/bin/docker" inode=1842137 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0', 'OUID="root" OGID="root"')
    rec(te, "PATH", 'item=1 name="/lib64/ld-linux-x86-64.so.2" inode=1835261 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0', 'OUID="root" OGID="root"')
    rec(te, "PROCTITLE", "proctitle=" + "00".join(hx(a) for a in argv))
    audit.append((te, serial[0], f"node={HOST} type=EOE msg=audit({te:.3f}:{serial[0]}): "))
    return te

def sudo_end(t, sudo_pid, auid, ses, tty="pts0"):
    user_rec(t, "USER_END", sudo_pid, 0, auid, ses, f'op=PAM:session_close grantors=pam_limits,pam_permit,pam_umask,pam_unix acct="root" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/{tty.replace("pts","pts/")} res=success', idenr(0, auid))
    user_rec(t+0.001, "CRED_DISP", sudo_pid, 0, auid, ses, f'op=PAM:setcred grantors=pam_permit acct="root" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/{tty.replace("pts","pts/")} res=success', idenr(0, auid))

ssh_login(B+20.100, 23790, "alice", 1000, 3, "198.51.100.23")
t_run = sudo_docker(B+40.200, 23850, 1000, 3, ["docker", "run", "-d", "--privileged", "-v", "/:/host", "--name", "toolbox", "alpine:3.20", "sleep", "infinity"], "/home/alice")
sudo_end(B+41.900, 23850, 1000, 3)
ssh_login(B+55.000, 23900, "bob", 1001, 4, "198.51.100.77")
for i, dt in enumerate([60.1, 68.4, 75.2, 83.9, 95.5]):
    user_rec(B+dt, "USER_AUTH", 23960, 1001, 1001, 4, 'op=PAM:authentication grantors=? acct="bob" exe="/usr/bin/sudo" hostname=? addr=? terminal=/dev/pts/1 res=failed', idenr(1001, 1001))
t_exec = sudo_docker(B+190.100, 24010, 1000, 3, ["docker", "exec", "-it", "web", "sh"], "/home/alice")
sudo_end(B+305.300, 24010, 1000, 3)
audit.sort(key=lambda r: (r[0], r[1]))
with open(f"{OUT}/audit.log", "w") as f:
    for _, _, line in audit:
        f.write(line + "\n")

# ---------------- docker events (docker events --format '{{json .}}') ----------------
events = []
def dev(t, typ, action, actor, attrs):
    ns = int(round(t * 1e9))
    events.append((ns, {"Type": typ, "Action": action, "Actor": {"ID": actor, "Attributes": attrs}, "scope": "local", "time": ns // 10**9, "timeNano": ns}))
NGINX_LABELS = {"maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>"}
web = {"image": "nginx:1.27", "name": "web", **NGINX_LABELS}
tool = {"image": "alpine:3.20", "name": "toolbox"}
dev(B+5.101, "container", "create", C1, web)
dev(B+5.230, "network", "connect", "5d2c0f1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1", {"container": C1, "name": "bridge", "type": "bridge"})
dev(B+5.412, "container", "start", C1, web)
dev(B+40.950, "container", "create", C2, tool)
dev(B+41.010, "network", "connect", "5d2c0f1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1", {"container": C2, "name": "bridge", "type": "bridge"})
dev(B+41.240, "container", "start", C2, tool)
dev(B+190.352, "container", "exec_create: sh", C1, {"execID": EXEC1, **web})
dev(B+190.361, "container", "exec_start: sh", C1, {"execID": EXEC1, **web})
dev(B+305.190, "container", "exec_die", C1, {"execID": EXEC1, "exitCode": "0", **web})
events.sort(key=lambda e: e[0])
with open(f"{OUT}/docker-events.jsonl", "w") as f:
    for _, e in events:
        f.write(json.dumps(e, separators=(",", ":")) + "\n")

# ---------------- docker container inspect (for the enrichment cache) ----------------
def inspect(cid, name, image, image_id, cmd, privileged, binds, pid, started, labels):
    return {
        "Id": cid, "Created": started, "Path": cmd[0], "Args": cmd[1:],
        "State": {"Status": "running", "Running": True, "Paused": False, "Restarting": False, "OOMKilled": False, "Dead": False, "Pid": pid, "ExitCode": 0, "Error": "", "StartedAt": started, "FinishedAt": "0001-01-01T00:00:00Z"},
        "Image": image_id, "ResolvConfPath": f"/var/lib/docker/containers/{cid}/resolv.conf",
        "HostnamePath": f"/var/lib/docker/containers/{cid}/hostname", "HostsPath": f"/var/lib/docker/containers/{cid}/hosts",
        "LogPath": f"/var/lib/docker/containers/{cid}/{cid}-json.log", "Name": "/" + name, "RestartCount": 0,
        "Driver": "overlay2", "Platform": "linux", "MountLabel": "", "ProcessLabel": "", "AppArmorProfile": "" if privileged else "docker-default",
        "ExecIDs": None,
        "HostConfig": {"Binds": binds, "NetworkMode": "bridge", "PortBindings": {}, "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                        "CapAdd": None, "CapDrop": None, "IpcMode": "private", "PidMode": "", "Privileged": privileged, "ReadonlyRootfs": False,
                        "SecurityOpt": ["label=disable"] if privileged else None, "UsernsMode": "", "LogConfig": {"Type": "json-file", "Config": {}}},
        "Mounts": ([{"Type": "bind", "Source": "/", "Destination": "/host", "Mode": "", "RW": True, "Propagation": "rprivate"}] if binds else []),
        "Config": {"Hostname": cid[:12], "User": "", "Tty": False, "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                   "Cmd": cmd, "Image": image, "WorkingDir": "", "Entrypoint": None, "Labels": labels},
        "NetworkSettings": {"Networks": {"bridge": {"NetworkID": "5d2c0f1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1", "IPAddress": "172.17.0.2" if name == "web" else "172.17.0.3", "Gateway": "172.17.0.1"}}},
    }
ins = [
    inspect(C1, "web", "nginx:1.27", "sha256:5b0e2f2f0ef6c1a3e0a0fcb2bd6d3c41a2b5f7a1c9e0d8f3b6a4c2e1d0f9a8b7", ["nginx", "-g", "daemon off;"], False, None, 3121, "2026-11-20T09:00:05.412000000Z", NGINX_LABELS),
    inspect(C2, "toolbox", "alpine:3.20", "sha256:1d34ffeaf190be23d3de5a8de0a436676b758f48f835c3a2d4768b798c15a7f1", ["sleep", "infinity"], True, ["/:/host"], 23990, "2026-11-20T09:00:41.240000000Z", {}),
]
with open(f"{OUT}/docker-inspect.json", "w") as f:
    json.dump(ins, f, indent=4)
    f.write("\n")

# ---------------- container json-file log of web ----------------
logs = []
def jl(t, stream, text):
    ns = int(round(t * 1e9))
    ts = f"{B_iso(ns)}"
    logs.append(json.dumps({"log": text, "stream": stream, "time": ts}, separators=(",", ":")))
import datetime
def B_iso(ns):
    s, frac = divmod(ns, 10**9)
    d = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + f".{frac:09d}".rstrip("0") + "Z"
jl(B+5.520, "stderr", "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n")
jl(B+5.521, "stderr", "/docker-entrypoint.sh: Configuration complete; ready for start up\n")
jl(B+5.610, "stderr", "2026/11/20 09:00:05 [notice] 1#1: nginx/1.27.3\n")
jl(B+12.004, "stdout", '172.17.0.1 - - [20/Nov/2026:09:00:12 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"\n')
jl(B+150.230, "stdout", '203.0.113.50 - - [20/Nov/2026:09:02:30 +0000] "GET /?q=' + "A" * 16300 + ' HTTP/1.1" 414 1')
jl(B+150.230, "stdout", '50 "-" "python-requests/2.31" "-"\n')
jl(B+151.002, "stderr", '2026/11/20 09:02:31 [error] 29#29: *3 client sent too long URI while reading client request line, client: 203.0.113.50, server: localhost\n')
jl(B+260.500, "stdout", '172.17.0.1 - - [20/Nov/2026:09:04:20 +0000] "GET /favicon.ico HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"\n')
with open(f"{OUT}/{C1}-json.log", "w") as f:
    for l in logs:
        f.write(l + "\n")

# ---------------- Falco JSON (json_include_output_property: false, json_include_tags_property: false) ----
falco = []
def fa(t, rule, prio, fields):
    ns = int(round(t * 1e9))
    of = {**fields, "evt.time": ns}
    falco.append(json.dumps({"hostname": HOST, "output_fields": dict(sorted(of.items())), "priority": prio, "rule": rule, "source": "syscall", "time": B_iso_full(ns)}, separators=(",", ":")))
def B_iso_full(ns):
    s, frac = divmod(ns, 10**9)
    d = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + f".{frac:09d}Z"
def ctr(cid, name, repo, tag):
    return {"container.id": cid[:12], "container.name": name, "container.image.repository": repo, "container.image.tag": tag, "k8s.ns.name": None, "k8s.pod.name": None}
fa(B+190.418, "Terminal shell in container", "Notice", {**ctr(C1, "web", "nginx", "1.27"),
   "evt.arg.flags": "EXE_WRITABLE|EXE_LOWER_LAYER", "evt.type": "execve", "proc.cmdline": "sh", "proc.exepath": "/bin/sh", "proc.name": "sh",
   "proc.pid": 24071, "proc.pname": "runc", "proc.tty": 34816, "user.loginuid": -1, "user.name": "root", "user.uid": 0})
fa(B+210.734, "Read sensitive file untrusted", "Warning", {**ctr(C1, "web", "nginx", "1.27"),
   "evt.type": "openat", "fd.name": "/etc/shadow", "proc.cmdline": "cat /etc/shadow", "proc.exepath": "/bin/cat", "proc.name": "cat",
   "proc.pid": 24102, "proc.pname": "sh", "proc.aname[2]": "runc", "proc.tty": 34816, "user.loginuid": -1, "user.name": "root", "user.uid": 0, "evt.res": "SUCCESS"})
with open(f"{OUT}/falco.json", "w") as f:
    for l in falco:
        f.write(l + "\n")

# ---------------- Tracee v0.19 JSON (--output json, --scope container) ----------------
tracee = []
ent = [3000000000]
def tr(t, cid, cname, image, digest, pid, hpid, ppid, hppid, comm, exe, uid, ev_id, ev_name, syscall, args, ret=0):
    ns = int(round(t * 1e9))
    ent[0] += 7919
    tracee.append(json.dumps({
        "timestamp": ns, "threadStartTime": ns - 1200000, "processorId": 1, "processId": pid, "cgroupId": 9134, "threadId": pid,
        "parentProcessId": ppid, "hostProcessId": hpid, "hostThreadId": hpid, "hostParentProcessId": hppid, "userId": uid,
        "mountNamespace": 4026532297 if cid == C1 else 4026532371, "pidNamespace": 4026532300 if cid == C1 else 4026532374,
        "processName": comm, "executable": {"path": exe}, "hostName": cid[:12], "containerId": cid,
        "container": {"id": cid, "name": cname, "image": image, "imageDigest": digest}, "kubernetes": {},
        "eventId": ev_id, "eventName": ev_name, "matchedPolicies": [""], "argsNum": len(args), "returnValue": ret, "syscall": syscall,
        "stackAddresses": [0], "contextFlags": {"containerStarted": True, "isCompat": False},
        "threadEntityId": ent[0], "processEntityId": ent[0], "parentEntityId": ent[0] - 7919, "args": args}, separators=(",", ":")))
NG = ("web", "nginx:1.27", "sha256:5b0e2f2f0ef6c1a3e0a0fcb2bd6d3c41a2b5f7a1c9e0d8f3b6a4c2e1d0f9a8b7")
AL = ("toolbox", "alpine:3.20", "sha256:1d34ffeaf190be23d3de5a8de0a436676b758f48f835c3a2d4768b798c15a7f1")
def exec_args(cmdpath, pathname, argv, stdin_type="S_IFCHR", stdin_path="/dev/pts/0"):
    return [{"name": "cmdpath", "type": "const char*", "value": cmdpath}, {"name": "pathname", "type": "const char*", "value": pathname},
            {"name": "dev", "type": "dev_t", "value": 47}, {"name": "inode", "type": "unsigned long", "value": 1572911},
            {"name": "ctime", "type": "unsigned long", "value": 1794400000123456789}, {"name": "inode_mode", "type": "umode_t", "value": 33261},
            {"name": "interpreter_pathname", "type": "const char*", "value": "/lib/ld-musl-x86_64.so.1" if pathname.startswith("/bin/busybox") else "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
            {"name": "interpreter_dev", "type": "dev_t", "value": 47}, {"name": "interpreter_inode", "type": "unsigned long", "value": 1573002},
            {"name": "interpreter_ctime", "type": "unsigned long", "value": 1794400000223456789},
            {"name": "argv", "type": "const char**", "value": argv}, {"name": "interp", "type": "const char*", "value": cmdpath},
            {"name": "stdin_type", "type": "string", "value": stdin_type}, {"name": "stdin_path", "type": "char*", "value": stdin_path},
            {"name": "invoked_from_kernel", "type": "int", "value": 0}]
def open_args(path, flags):
    return [{"name": "pathname", "type": "const char*", "value": path}, {"name": "flags", "type": "int", "value": flags},
            {"name": "dev", "type": "dev_t", "value": 47}, {"name": "inode", "type": "unsigned long", "value": 2359412},
            {"name": "ctime", "type": "unsigned long", "value": 1794400000323456789}, {"name": "syscall_pathname", "type": "const char*", "value": path}]
tr(B+41.300, C2, *AL, 1, 23990, 0, 23968, "sleep", "/bin/sleep", 0, "714", "sched_process_exec", "execve",
   exec_args("/bin/sleep", "/bin/busybox", ["sleep", "infinity"], "S_IFIFO", "pipe:[318841]"))
tr(B+130.120, C2, *AL, 7, 24040, 0, 24021, "sh", "/bin/busybox", 0, "714", "sched_process_exec", "execve",
   exec_args("/bin/sh", "/bin/busybox", ["sh", "-c", "cat /host/etc/shadow | head -n 3"], "S_IFIFO", "pipe:[320112]"))
tr(B+130.124, C2, *AL, 8, 24041, 7, 24040, "cat", "/bin/busybox", 0, "714", "sched_process_exec", "execve",
   exec_args("/bin/cat", "/bin/busybox", ["cat", "/host/etc/shadow"], "S_IFIFO", "pipe:[320112]"))
tr(B+130.126, C2, *AL, 8, 24041, 7, 24040, "cat", "/bin/busybox", 0, "731", "security_file_open", "openat",
   open_args("/host/etc/shadow", "O_RDONLY|O_LARGEFILE"))
tr(B+190.412, C1, *NG, 43, 24071, 0, 24055, "sh", "/usr/bin/dash", 0, "714", "sched_process_exec", "execve",
   exec_args("/bin/sh", "/usr/bin/dash", ["sh"]))
tr(B+210.731, C1, *NG, 51, 24102, 43, 24071, "cat", "/usr/bin/cat", 0, "714", "sched_process_exec", "execve",
   exec_args("/usr/bin/cat", "/usr/bin/cat", ["cat", "/etc/shadow"]))
tr(B+210.733, C1, *NG, 51, 24102, 43, 24071, "cat", "/usr/bin/cat", 0, "731", "security_file_open", "openat",
   open_args("/etc/shadow", "O_RDONLY"))
tr(B+225.402, C1, *NG, 43, 24071, 0, 24055, "sh", "/usr/bin/dash", 0, "731", "security_file_open", "openat",
   open_args("/etc/passwd", "O_WRONLY|O_CREAT|O_APPEND"))
dests = ["93.184.215.14", "151.101.1.69", "104.16.132.229", "140.82.112.3", "185.199.108.133", "13.107.42.14",
         "142.250.185.78", "31.13.92.36", "52.84.150.11", "198.51.100.9", "203.0.113.80", "192.0.2.44"]
for i, ip in enumerate(dests):
    t = B + 240.0 + i * 2.5
    tr(t - 0.004, C1, *NG, 60 + i, 24120 + i, 43, 24071, "curl", "/usr/bin/curl", 0, "714", "sched_process_exec", "execve",
       exec_args("/usr/bin/curl", "/usr/bin/curl", ["curl", "-s", "-m", "2", f"http://{ip}/"]))
    tr(t, C1, *NG, 60 + i, 24120 + i, 43, 24071, "curl", "/usr/bin/curl", 0, "735", "security_socket_connect", "connect",
       [{"name": "sockfd", "type": "int", "value": 5},
        {"name": "type", "type": "int", "value": "SOCK_STREAM"},
        {"name": "remote_addr", "type": "struct sockaddr*", "value": {"sa_family": "AF_INET", "sin_addr": ip, "sin_port": "80"}}])
with open(f"{OUT}/tracee.json", "w") as f:
    for l in tracee:
        f.write(l + "\n")
print("audit", len(audit), "events", len(events), "falco", len(falco), "tracee", len(tracee), "logs", len(logs))
