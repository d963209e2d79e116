"""What the shell reports about the screen's geometry and its tasks, in the formats that
harnesses grep: `dumpsys input` (viewport, `SurfaceOrientation`), `dumpsys window displays`
(`cur=`, `app=`, `mCurrentRotation`), the configuration line and `am stack list`."""

from __future__ import annotations

from virtual_phone.shell.commands.package_facts import full_class, object_hash, task_id, uid
from virtual_phone.shell.context import Ctx
from virtual_phone.ui.hierarchy import find_node

DISPLAY_ID = "4619827259835644672"
NAV_BAR_ID = "com.android.systemui:id/navigation_bar_frame"
ROTATIONS = ("ROTATION_0", "ROTATION_90", "ROTATION_180", "ROTATION_270")
# Packages that run without a task of their own (system UI, the keyboard).
TASKLESS = ("com.android.systemui", "com.google.android.inputmethod.latin")
LAUNCHER = "com.android.launcher3"


def logical_size(ctx: Ctx) -> tuple[int, int]:
    """(width, height) of the display in pixels in its current rotation."""
    width, height = ctx.phone.width, ctx.phone.height
    return (height, width) if ctx.phone.rotation % 2 else (width, height)


def app_size(ctx: Ctx) -> tuple[int, int]:
    """(width, height) of the app area: the display above the navigation bar."""
    width, height = logical_size(ctx)
    nav = find_node(ctx.phone.nodes(), resource_id=NAV_BAR_ID)
    return width, (nav.bounds[1] if nav is not None else height)


def configuration(ctx: Ctx) -> str:
    """The global configuration as `dumpsys window` and `am stack list` print it."""
    width, height = logical_size(ctx)
    app_width, app_height = app_size(ctx)
    dpi = ctx.phone.density_dpi
    w_dp, h_dp = width * 160 // dpi, height * 160 // dpi
    orientation = "land" if ctx.phone.rotation % 2 else "port"
    return (
        f"{{1.0 ?mcc?mnc [en_US] ldltr sw{min(w_dp, h_dp)}dp w{w_dp}dp h{h_dp}dp {dpi}dpi "
        f"nrml long {orientation} finger -keyb/v/h -nav/h winConfig={{ "
        f"mBounds=Rect(0, 0 - {width}, {height}) mAppBounds=Rect(0, 0 - {app_width}, "
        f"{app_height}) mWindowingMode=fullscreen mDisplayWindowingMode=fullscreen "
        f"mActivityType=undefined mAlwaysOnTop=undefined "
        f"mRotation={ROTATIONS[ctx.phone.rotation % 4]}}} s.1}}"
    )


def viewport(ctx: Ctx) -> str:
    """The display viewport (`Viewport INTERNAL: …`) in its current orientation."""
    width, height = logical_size(ctx)
    return (
        f"Viewport INTERNAL: displayId=0, uniqueId=local:{DISPLAY_ID}, port=0, "
        f"orientation={ctx.phone.rotation}, logicalFrame=[0, 0, {width}, {height}], "
        f"physicalFrame=[0, 0, {width}, {height}], "
        f"deviceSize=[{ctx.phone.width}, {ctx.phone.height}], isActive=[1]"
    )


def dumpsys_input(ctx: Ctx, args: list[str]) -> None:
    """`dumpsys input`: the touchscreen's surface and the focused window."""
    width, height = logical_size(ctx)
    package, activity = ctx.phone.current()
    ctx.out(
        "INPUT MANAGER (dumpsys input)\n\n"
        "Input Manager Service (Java) State:\n"
        "  Interactive: true\n\n"
        "Event Hub State:\n"
        "  BuiltInKeyboardId: -2\n"
        "  Devices:\n"
        "    -1: Virtual\n"
        "      Classes: KEYBOARD | ALPHAKEY | VIRTUAL\n"
        "    3: sec_touchscreen\n"
        "      Classes: TOUCH | TOUCH_MT\n\n"
        "Input Reader State (Nums of device: 2):\n"
        "  Device 3: sec_touchscreen\n"
        "    Sources: TOUCHSCREEN\n"
        "    Touch Input Mapper (mode - DIRECT):\n"
        "      DeviceMode: DIRECT\n"
        f"      {viewport(ctx)}\n"
        f"      RawSurfaceWidth: {ctx.phone.width}px\n"
        f"      RawSurfaceHeight: {ctx.phone.height}px\n"
        f"      SurfaceWidth: {width}px\n"
        f"      SurfaceHeight: {height}px\n"
        "      SurfaceLeft: 0\n"
        "      SurfaceTop: 0\n"
        f"      SurfaceRight: {width}\n"
        f"      SurfaceBottom: {height}\n"
        f"      PhysicalWidth: {width}px\n"
        f"      PhysicalHeight: {height}px\n"
        f"      SurfaceOrientation: {ctx.phone.rotation}\n"
        "  Viewports:\n"
        f"    {viewport(ctx)}\n\n"
        "Input Dispatcher State:\n"
        "  DispatchEnabled: true\n"
        "  FocusedApplications:\n"
        f"    displayId=0, name='ActivityRecord{{{object_hash('record', package, activity)} u0 "
        f"{package}/{activity} t{task_id(package)}}}', dispatchingTimeout=5000ms\n"
        "  FocusedWindows:\n"
        f"    displayId=0, name='{object_hash('window', package, activity)} "
        f"{package}/{activity}'\n"
    )


def window_displays(ctx: Ctx) -> str:
    """`dumpsys window displays`: the display's sizes and its rotation."""
    width, height = logical_size(ctx)
    app_width, app_height = app_size(ctx)
    short = min(app_width, app_height)
    rotation = ctx.phone.rotation % 4
    locked = ctx.phone.settings_get("system", "accelerometer_rotation") in (None, "0")
    tasks = len(app_tasks(ctx))
    return (
        "WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)\n"
        f"  Display: mDisplayId=0 (organized) rootTasks={tasks}\n"
        f"    init={ctx.phone.width}x{ctx.phone.height} {ctx.phone.density_dpi}dpi "
        f"mMinSizeOfResizeableTaskDp=220 cur={width}x{height} app={app_width}x{app_height} "
        f"rng={short}x{short}-{max(app_width, app_height)}x{max(app_width, app_height)}\n"
        f"    deferred=false mLayoutNeeded=false "
        f"mTouchExcludeRegion=SkRegion((0,0,{width},{height}))\n\n"
        "  DisplayRotation\n"
        "    mCurrentAppOrientation=SCREEN_ORIENTATION_UNSPECIFIED\n"
        f"    mRotation={rotation} mDeferredRotationPauseCount=0\n"
        "    mLandscapeRotation=ROTATION_90 mSeascapeRotation=ROTATION_270\n"
        "    mPortraitRotation=ROTATION_0 mUpsideDownRotation=ROTATION_180\n"
        "    mSupportAutoRotation=true\n"
        "    WindowOrientationListener\n"
        f"      mEnabled={str(not locked).lower()}\n"
        f"      mCurrentRotation={ROTATIONS[rotation]}\n"
        f"    mUserRotationMode=USER_ROTATION_{'LOCKED' if locked else 'FREE'} "
        f"mUserRotation={ROTATIONS[rotation]} mCameraRotationMode=0\n\n"
    )


def app_tasks(ctx: Ctx) -> list[str]:
    """Packages with a task, the focused one first."""
    focused = ctx.phone.current()[0]
    running = [p for p in ctx.phone.running_packages() if p not in TASKLESS and p != focused]
    return [focused, *running]


def stack_list(ctx: Ctx) -> str:
    """`am stack list`: one root task per app task, with the ids `dumpsys` prints."""
    width, height = logical_size(ctx)
    focused, activity = ctx.phone.current()
    lines = []
    for package in app_tasks(ctx):
        top = activity if package == focused else main_activity(ctx, package)
        task = task_id(package)
        lines += [
            f"RootTask id={task} bounds=[0,0][{width},{height}] displayId=0 userId=0",
            f" configuration={configuration(ctx)}",
            f"  taskId={task}: {package}/{top} bounds=[0,0][{width},{height}] userId=0 "
            f"visible={str(package == focused).lower()} "
            f"topActivity=ComponentInfo{{{package}/{top}}}",
            "",
        ]
    return "\n".join(lines)


def main_activity(ctx: Ctx, package: str) -> str:
    """The full class name of the activity a package's launcher icon starts."""
    info = next((p for p in ctx.phone.packages() if p.package == package), None)
    main = info.main_activity if info is not None and info.main_activity else ".MainActivity"
    return full_class(package, main)


def recent_tasks(ctx: Ctx) -> str:
    """`dumpsys activity recents`: the app tasks, most recent first (home is not one)."""
    focused = ctx.phone.current()[0]
    lines = [
        "ACTIVITY MANAGER RECENT TASKS (dumpsys activity recents)",
        "  mRecentsUid=10158",
        "  mFreezeTaskListReordering=false",
        "  Recent tasks:",
    ]
    recent = [p for p in app_tasks(ctx) if p != LAUNCHER]
    for number, package in enumerate(recent):
        lines += [
            f"  * Recent #{number}: Task{{{object_hash('task', package)} #{task_id(package)} "
            f"type=standard A={uid(package)}:{package} U=0 "
            f"visible={str(package == focused).lower()} mode=fullscreen translucent=false "
            "sz=1}",
            f"    userId=0 effectiveUid=u0a{uid(package) - 10000} mCallingPackage={package}",
        ]
    return "\n".join(lines) + "\n"


def task_package(ctx: Ctx, task: int) -> str | None:
    """The package whose task has id `task`."""
    return next((p for p in app_tasks(ctx) if task_id(p) == task), None)
