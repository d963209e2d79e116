"""`dumpsys`: the service dumps that clients parse (window, activity, display, power,
input_method, battery, package, SurfaceFlinger, wifi)."""

from __future__ import annotations

from collections.abc import Callable

from virtual_phone.shell.commands.dumpsys_screen import (
    DISPLAY_ID,
    app_tasks,
    configuration,
    dumpsys_input,
    main_activity,
    recent_tasks,
    window_displays,
)
from virtual_phone.shell.commands.package_facts import (
    INSTALL_TIME,
    all_packages,
    apk_path,
    object_hash,
    short_class,
    task_id,
    uid,
)
from virtual_phone.shell.commands.system import settings_value
from virtual_phone.shell.context import CommandFunc, Ctx

SYSTEMUI = "com.android.systemui"
_DISPLAY_LINE = (
    f'Display {DISPLAY_ID} (HWC display 0): port=0 pnpId=GGL displayName="Common Panel"\n'
)


# dumpsys's own options before the service name, and whether each takes a value
_OPTIONS = {"-t": True, "-T": True, "--priority": True, "--skip": True, "--pid": False}
_OPTIONS |= {"--thread": False, "--proto": False, "--dump": False, "--clients": False}


def dumpsys(ctx: Ctx) -> int:
    args = list(ctx.args)
    while args and args[0] in _OPTIONS:
        del args[: 2 if _OPTIONS[args[0]] else 1]
    if not args or args[0] == "-l":
        ctx.out("Currently running services:\n")
        ctx.out("".join(f"  {name}\n" for name in sorted(_SERVICES)))
        return 0
    service, rest = args[0], args[1:]
    handler = _SERVICES.get(service)
    if handler is None:
        ctx.err(f"Can't find service: {service}\n")
        return 0
    handler(ctx, rest)
    return 0


def _current(ctx: Ctx) -> tuple[str, str, str]:
    """(package, full activity class, short activity) of the focused window."""
    package, activity = ctx.phone.current()
    return package, activity, short_class(package, activity)


def _window(ctx: Ctx, args: list[str]) -> None:
    """`dumpsys window [displays|windows]`: both sections without an argument."""
    section = args[0] if args else ""
    if section != "windows":
        ctx.out(window_displays(ctx))
    if section != "displays":
        _window_list(ctx)
    _focus(ctx)


def _window_list(ctx: Ctx) -> None:
    package, activity, _short = _current(ctx)
    ctx.out("WINDOW MANAGER WINDOWS (dumpsys window windows)\n")
    windows = [
        ("NavigationBar0", SYSTEMUI),
        ("StatusBar", SYSTEMUI),
    ]
    if ctx.phone.keyboard_shown:
        ime = settings_value(ctx, "secure", "default_input_method") or ""
        windows.append(("InputMethod", ime.split("/")[0]))
    windows.append((f"{package}/{activity}", package))
    for index, (title, owner) in enumerate(windows):
        root_task = task_id(package) if title.startswith(f"{package}/") else 1
        ctx.out(
            f"  Window #{index} Window{{{object_hash('window', title)} u0 {title}}}:\n"
            f"    mDisplayId=0 rootTaskId={root_task} mSession=Session{{{object_hash(owner)} "
            f"{1000 + index}:u0a{uid(owner) - 10000}}} mClient=android.os.BinderProxy@"
            f"{object_hash('client', title)}\n"
            f"    mOwnerUid={uid(owner)} showForAllUsers=false package={owner} appop=NONE\n"
            f"    mAttrs={{(0,0)(fillxfill) sim={{adjust=pan}} ty=BASE_APPLICATION "
            f"fmt=TRANSLUCENT}}\n"
            f"    mHasSurface=true isReadyForDisplay()=true mWindowRemovalAllowed=false\n"
        )


def _focus(ctx: Ctx) -> None:
    package, activity, short = _current(ctx)
    win = object_hash("window", package, activity)
    rec = object_hash("record", package, activity)
    ime_window = (
        f"Window{{{object_hash('ime')} u0 InputMethod}}" if ctx.phone.keyboard_shown else "null"
    )
    ctx.out(
        f"\n  mGlobalConfiguration={configuration(ctx)}\n"
        f"  mHasPermanentDpad=false\n"
        f"  mTopFocusedDisplayId=0\n"
        f"  mCurrentFocus=Window{{{win} u0 {package}/{activity}}}\n"
        f"  mFocusedApp=ActivityRecord{{{rec} u0 {package}/{short} t{task_id(package)}}}\n"
        f"  mInputMethodWindow={ime_window}\n"
        f"  mDisplayFrozen=false windowsAreFocusable=true\n"
    )


def _activity(ctx: Ctx, args: list[str]) -> None:
    sub = args[0] if args else "activities"
    package, _activity_class, short = _current(ctx)
    rec = object_hash("record", package, _activity_class)
    task = task_id(package)
    if sub == "recents":
        ctx.out(recent_tasks(ctx))
        return
    if sub == "top":
        ctx.out(
            f"TASK {uid(package)}:{package} id={task} userId=0\n"
            f"  ACTIVITY {package}/{short} {rec} pid={ctx.state.pid(package)}\n"
            f"    Local Activity {object_hash('local', package)} State:\n"
            f"      mResumed=true mStopped=false mFinished=false\n"
        )
        return
    ctx.out(
        "ACTIVITY MANAGER ACTIVITIES (dumpsys activity activities)\n"
        "Display #0 (activities from top to bottom):\n"
    )
    for name in app_tasks(ctx):
        if name == package:
            record = f"ActivityRecord{{{rec} u0 {package}/{short} t{task}}}"
        else:
            record = (
                f"ActivityRecord{{{object_hash('record', name)} u0 {name}/"
                f"{short_class(name, main_activity(ctx, name))} t{task_id(name)}}}"
            )
        ctx.out(
            f"  * Task{{{object_hash('task', name)} #{task_id(name)} type=standard "
            f"A={uid(name)}:{name} U=0 visible={str(name == package).lower()} "
            f"mode=fullscreen translucent=false sz=1}}\n"
            f"    * Hist  #0: {record}\n"
        )
    ctx.out(
        f"\n  ResumedActivity: ActivityRecord{{{rec} u0 {package}/{short} t{task}}}\n"
        f"  mResumedActivity: ActivityRecord{{{rec} u0 {package}/{short} t{task}}}\n"
        f"  mFocusedApp=ActivityRecord{{{rec} u0 {package}/{short} t{task}}}\n"
    )


def _display(ctx: Ctx, args: list[str]) -> None:
    rotation = ctx.phone.rotation
    width, height, dpi = ctx.phone.width, ctx.phone.height, ctx.phone.density_dpi
    if rotation % 2:
        width, height = height, width
    state = "ON" if ctx.phone.screen_on else "OFF"
    ctx.out(
        "DISPLAY MANAGER (dumpsys display)\n"
        "  mOnlyCode=false\n  mSafeMode=false\n  mPendingTraversal=false\n"
        f"  mViewports=[DisplayViewport{{type=INTERNAL, valid=true, isActive=true, displayId=0, "
        f"uniqueId='local:{DISPLAY_ID}', physicalPort=0, orientation={rotation}, "
        f"logicalFrame=Rect(0, 0 - {width}, {height}), physicalFrame=Rect(0, 0 - {width}, "
        f"{height}), deviceWidth={width}, deviceHeight={height}}}]\n"
        "  mDefaultDisplayDefaultColorMode=0\n"
        "\nDisplay Devices: size=1\n"
        f'  DisplayDeviceInfo{{"Built-in Screen": uniqueId="local:{DISPLAY_ID}", '
        f"{ctx.phone.width} x {ctx.phone.height}, modeId 1, defaultModeId 1, "
        f"supportedModes [{{id=1, width={ctx.phone.width}, height={ctx.phone.height}, "
        f"fps=60.0}}], density {dpi}, {dpi}.0 x {dpi}.0 dpi, "
        f"appVsyncOff 1000000, presDeadline 16666666, touch INTERNAL, rotation {rotation}, "
        f"type INTERNAL, address {{port=0, model=0x401cec6a7a2b7b}}, state {state}, "
        "FLAG_DEFAULT_DISPLAY, FLAG_ROTATES_WITH_CONTENT, FLAG_SECURE, "
        "FLAG_SUPPORTS_PROTECTED_BUFFERS}\n"
        f"\nLogical Displays: size=1\n"
        f"  Display 0:\n"
        f"    mDisplayId=0\n"
        f'    mBaseDisplayInfo=DisplayInfo{{"Built-in Screen", displayId 0, real '
        f"{width} x {height}, rotation {rotation}, density {dpi}, state {state}}}\n"
    )


def _power(ctx: Ctx, args: list[str]) -> None:
    on = ctx.phone.screen_on
    ctx.out(
        "POWER MANAGER (dumpsys power)\n\n"
        "Power Manager State:\n"
        "  mDirty=0x0\n"
        f"  mWakefulness={'Awake' if on else 'Asleep'}\n"
        "  mWakefulnessChanging=false\n"
        "  mIsPowered=true\n"
        "  mPlugType=2\n"
        f"  mBatteryLevel={ctx.state.battery.level}\n"
        "  mStayOn=false\n"
        "  mProximityPositive=false\n"
        "  mBootCompleted=true\n"
        "  mSystemReady=true\n"
        f"  mHalAutoSuspendModeEnabled={str(not on).lower()}\n"
        "  mHalInteractiveModeEnabled=true\n"
        f"  mWakeLockSummary=0x{'1' if on else '0'}\n"
        f"  mUserActivitySummary=0x{'1' if on else '0'}\n"
        f"  mHoldingWakeLockSuspendBlocker={str(on).lower()}\n"
        f"  mHoldingDisplaySuspendBlocker={str(on).lower()}\n"
        f"\nDisplay Power: state={'ON' if on else 'OFF'}\n"
    )


def _input_method(ctx: Ctx, args: list[str]) -> None:
    method = settings_value(ctx, "secure", "default_input_method") or ""
    shown = str(ctx.phone.keyboard_shown).lower()
    package, activity, _ = _current(ctx)
    ctx.out(
        "Current Input Method Manager state:\n"
        "  Input Methods: mMethodMapUpdateCount=3 mBindInstantServiceAllowed=false\n"
        + "".join(
            f"  InputMethod #{i}:\n    mId={m} mSettingsActivity=null\n"
            for i, m in enumerate(ctx.state.all_imes())
        )
        + f"  mCurMethodId={method}\n"
        f"  mCurrentUserId=0\n"
        f"  mCurFocusedWindowName={package}/{activity}\n"
        f"  mCurClient=ClientState{{{object_hash('client', package)} mUid={uid(package)} "
        f"mPid={ctx.state.pid(package)} mSelfReportedDisplayId=0}}\n"
        f"  mCurId={method}\n"
        f"  mHaveConnection=true mBoundToMethod=true "
        f"mIsInteractive={str(ctx.phone.screen_on).lower()}\n"
        f"  mInputShown={shown}\n"
        f"  mShowRequested={shown} mShowExplicitlyRequested=false mShowForced=false\n"
        f"  mImeWindowVis={'3' if ctx.phone.keyboard_shown else '0'}\n"
    )


def _battery(ctx: Ctx, args: list[str]) -> None:
    battery = ctx.state.battery
    if args[:1] == ["set"] and len(args) >= 3 and args[2].lstrip("-").isdigit():
        key, value = args[1], int(args[2])
        if key == "level":
            battery.level = max(0, min(100, value))
        elif key in ("ac", "usb"):
            setattr(battery, f"{key}_powered", bool(value))
        elif key == "status":
            battery.status = value
        return
    if args[:1] in (["reset"], ["unplug"]):
        battery.usb_powered = args[0] == "reset"
        battery.ac_powered = False
        return
    ctx.out(
        "Current Battery Service state:\n"
        f"  AC powered: {str(battery.ac_powered).lower()}\n"
        f"  USB powered: {str(battery.usb_powered).lower()}\n"
        "  Wireless powered: false\n"
        "  Dock powered: false\n"
        "  Max charging current: 500000\n"
        "  Max charging voltage: 5000000\n"
        "  Charge counter: 3881000\n"
        f"  status: {battery.status}\n"
        "  health: 2\n"
        "  present: true\n"
        f"  level: {battery.level}\n"
        "  scale: 100\n"
        f"  voltage: {battery.voltage}\n"
        f"  temperature: {battery.temperature}\n"
        "  technology: Li-ion\n"
    )


def _package(ctx: Ctx, args: list[str]) -> None:
    names = [a for a in args if not a.startswith("-")]
    packages = all_packages(ctx)
    info = packages.get(names[0]) if names else None
    if info is None:
        ctx.out(f"Dexopt state:\n  Unable to find package: {names[0] if names else ''}\n")
        return
    name = info.package
    flags = (
        "SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA"
        if info.system
        else "HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP"
    )
    ctx.out("Activity Resolver Table:\n  Non-Data Actions:\n      android.intent.action.MAIN:\n")
    if info.main_activity:
        component = f"{name}/{short_class(name, info.main_activity)}"
        ctx.out(
            f"        {object_hash('filter', name)} {component} "
            f"filter {object_hash('f', name)}\n"
            '          Action: "android.intent.action.MAIN"\n'
            '          Category: "android.intent.category.LAUNCHER"\n'
        )
    path = apk_path(info)
    ctx.out(
        f"\nPackages:\n  Package [{name}] ({object_hash('pkg', name)}):\n"
        f"    userId={uid(name)}\n"
        f"    pkg=Package{{{object_hash('pkgobj', name)} {name}}}\n"
        f"    codePath={path.rsplit('/', 1)[0]}\n"
        f"    resourcePath={path.rsplit('/', 1)[0]}\n"
        f"    primaryCpuAbi=arm64-v8a\n"
        f"    versionCode={info.version_code} minSdk=26 targetSdk=34\n"
        f"    versionName={info.version_name}\n"
        f"    flags=[ {flags} ]\n"
        f"    timeStamp={INSTALL_TIME}\n"
        f"    firstInstallTime={INSTALL_TIME}\n"
        f"    lastUpdateTime={INSTALL_TIME}\n"
        f"    installerPackageName={'null' if info.system else 'com.android.vending'}\n"
        f"    signatures=PackageSignatures{{{object_hash('sig', name)} version:2, "
        f"signatures:[{object_hash('cert', name)}], past signatures:[]}}\n"
        f"    pkgFlags=[ {flags} ]\n"
        "    requested permissions:\n      android.permission.INTERNET\n"
        "    install permissions:\n      android.permission.INTERNET: granted=true\n"
        "    User 0: ceDataInode=0 installed=true hidden=false suspended=false "
        "stopped=false notLaunched=false enabled=0 instant=false virtual=false\n"
    )


def _surfaceflinger(ctx: Ctx, args: list[str]) -> None:
    if "--display-id" in args:
        ctx.out(_DISPLAY_LINE)
        return
    size = f"{ctx.phone.width}x{ctx.phone.height}"
    ctx.out(_DISPLAY_LINE + f"  {size} @ 60Hz, density {ctx.phone.density_dpi}\n")


def _wifi(ctx: Ctx, args: list[str]) -> None:
    enabled = ctx.phone.wifi_enabled
    ctx.out(
        f"Wi-Fi is {'enabled' if enabled else 'disabled'}\n"
        f"Verbose logging is off\n"
        f'mWifiInfo SSID: "{"AndroidWifi" if enabled else "<unknown ssid>"}", '
        f"Supplicant state: {'COMPLETED' if enabled else 'DISCONNECTED'}\n"
    )


def _telephony(ctx: Ctx, args: list[str]) -> None:
    """TelephonyRegistry's dump: one SIM, no call (IDLE, 0), in service, data connected."""
    ctx.out(
        "last known state:\n"
        "  Phone Id=0\n"
        "    mCallState=0\n"
        "    mRingingCallState=0\n"
        "    mForegroundCallState=0\n"
        "    mBackgroundCallState=0\n"
        "    mCallIncomingNumber=\n"
        "    mServiceState={mVoiceRegState=0(IN_SERVICE), mDataRegState=0(IN_SERVICE)}\n"
        "    mVoiceActivationState=0\n"
        "    mDataActivationState=0\n"
        "    mMessageWaiting=false\n"
        "    mCallForwarding=false\n"
        "    mDataActivity=0\n"
        "    mDataConnectionState=2\n"
    )


_SERVICES: dict[str, Callable[[Ctx, list[str]], None]] = {
    "telephony.registry": _telephony,
    "window": _window,
    "input": dumpsys_input,
    "activity": _activity,
    "display": _display,
    "power": _power,
    "input_method": _input_method,
    "battery": _battery,
    "package": _package,
    "SurfaceFlinger": _surfaceflinger,
    "wifi": _wifi,
}

COMMANDS: dict[str, CommandFunc] = {"dumpsys": dumpsys}
