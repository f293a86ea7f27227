"""Pinned Debian sources of real speech, real noise and impulse responses.

Each source names a bookworm/main binary package pinned to the version (and the .deb
SHA256) that ``apt-cache policy``/``apt-cache show`` reported when the corpus was first
built, which archive members to extract, and how a clip's speaker, split group and
language are derived from its path inside the package.

Speaker ids and split groups (the unit that never crosses train/val/test):

* festvox-ru: one voice (msu_ru_nsh). Group ``festvox-ru:nsh``.
* fillets-ng-data-{cs,nl}: files are ``<level>-<role>-<line>.ogg`` (or ``<role>-<line>``);
  role ``m`` is the small fish, ``v`` the big fish, each voiced by one actor per language;
  every other role (``hs``, ``pap``, digits, ...) is pooled as speaker ``minor``. Who voiced
  the minor roles is not documented and may be the m or v actor, so the split group is the
  whole language, ``fillets-<lang>``.
* klettres-data and ktuberling-data: one volunteer per language directory (``en_GB``
  and ``sr@latin`` are folded into ``en`` and ``sr``). Both are KDE Edu programs whose
  recordings may come from the same volunteer, so the split group is ``kde-edu:<lang>``
  across both packages.
* kajongg: voices ``female1 female2 male1 male2``, English at the top level and German
  under ``de/``. The same person may have recorded both languages, so the group is
  ``kajongg:<voice>`` across languages.
* tuxpaint-stamps-default: ``*_desc_<lang>.ogg`` has one voice per language
  (``*_desc.ogg`` is English). Group ``tuxpaint:<lang>``.

Noise split groups: one group per package, except 0ad-data whose ambient files are grouped
by recording family (``rain_11``/``rain_12`` -> ``rain``; every wind/storm file -> ``wind``)
so that loops cut from one recording stay in one split.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from typing import Callable, Optional


@dataclasses.dataclass(frozen=True)
class Package:
    """A pinned Debian binary package and the archive members the corpus needs."""

    name: str
    version: str
    sha256: str
    extract: tuple[str, ...]  # tar wildcards (relative to ./) passed to tar -x


@dataclasses.dataclass(frozen=True)
class ClipInfo:
    """What a source says about one audio file: who speaks, in which language."""

    speaker: str
    group: str
    language: str


@dataclasses.dataclass(frozen=True)
class Source:
    """A set of clips inside one package.

    ``globs`` are fnmatch patterns over the path relative to the extracted package root
    (or, for ``zip_member``, over member names inside that zip). ``describe`` returns None
    for a file that matches the globs but is not wanted (e.g. a sound effect).
    """

    kind: str  # "speech" | "noise" | "ir"
    package: Package
    globs: tuple[str, ...]
    describe: Callable[[str], Optional[ClipInfo]]
    zip_member: Optional[str] = None

    def matches(self, relpath: str) -> bool:
        return any(fnmatch.fnmatchcase(relpath, g) for g in self.globs)


def _pkg(name: str, version: str, sha256: str, *extract: str) -> Package:
    return Package(name, version, sha256, (f"./usr/share/doc/{name}/*",) + extract)


FESTVOX_RU = _pkg("festvox-ru", "0.5+dfsg-6",
                  "21ef3f0f2978ecf2e2eddb367cb0ff4a72572196d28dc69feb84f4177af5e6c4",
                  "./usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/*")
FILLETS_CS = _pkg("fillets-ng-data-cs", "1.0.1-1.1",
                  "3ecef99b9456f1c80c9625c6f2418642b52d58e7167a46bad7a412db17991b14",
                  "./usr/share/games/fillets-ng/sound/*")
FILLETS_NL = _pkg("fillets-ng-data-nl", "1.0.1-1.1",
                  "afb4443fda9ab507dee578b75be857d121718a1cd6017a474f30e0eb13dc9d10",
                  "./usr/share/games/fillets-ng/sound/*")
KLETTRES = _pkg("klettres-data", "4:22.12.3-1",
                "1186d257a19e84230856baea0b0b1ded8be9195080fcdb2588970b5cd937f5a8",
                "./usr/share/klettres/*")
KTUBERLING = _pkg("ktuberling-data", "4:22.12.3-1",
                  "fba44c875bfa31ea488dadd9263e87a4dcaea0bd47d28817f6c0dc6d2af970ed",
                  "./usr/share/ktuberling/sounds/*")
KAJONGG = _pkg("kajongg", "4:22.12.3-1",
               "be0a9cc0f9a97064ffa0ab01133f55e021c7c58f9869857431bf1ca951dadbaf",
               "./usr/share/kajongg/voices/*")
TUXPAINT = _pkg("tuxpaint-stamps-default", "2022.06.04-1",
                "6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34",
                "./usr/share/tuxpaint/stamps/*")
ZEROAD = _pkg("0ad-data", "0.0.26-1",
              "53745ae74d05bccf6783400fa98f3932b21729ab9d2e86151aa2c331c3455178",
              "./usr/share/games/0ad/mods/public/public.zip")
SUPERTUXKART = _pkg("supertuxkart-data", "1.4+dfsg-2",
                    "568d69cda50dc8ad1facb89514bd14953dfca736fdb83c49ae330b0aa7dd2364",
                    "./usr/share/games/supertuxkart/data/sfx/*")
SUPERTUX = _pkg("supertux-data", "0.6.3-2",
                "a6ad8865972f1dbb5e7b49f4e1b381dd16a68f3028a3502cfeaca2400285d27f",
                "./usr/share/games/supertux2/sounds/*")
LUGARU = _pkg("lugaru-data", "1.2-6",
              "6a25e8d2d7c2d94b7873669d1f52137b2ba56e86ba5c2f08fefeacd65e526023",
              "./usr/share/games/lugaru/Sounds/*")
SONIC_PI = _pkg("sonic-pi-samples", "3.2.2~repack-8",
                "25f2312d2fae005e6ad0f4726b8ed3084e776006a5a132083506e960224ac79d",
                "./usr/share/sonic-pi/samples/*")
ETW = _pkg("etw-data", "3.6+svn162-6",
           "d1c79c32f6223332c01eb23ba78531e8d9d663c1f057cd21d8aac708b8de218a",
           "./usr/share/games/etw/crowd/*")
BTANKS = _pkg("btanks-data", "0.9.8083-9",
              "fbe1a476d95c68fe73d87715f4f0aecc1bc5428a979cd19451722665c9dbb5ae",
              "./usr/share/games/btanks/data/sounds/ambient/*")
ARDENTRYST = _pkg("ardentryst", "1.71-9",
                  "7a01180285a4acaa980b18118127c60ac0377f4e2bcd69244b1feb7de5fc566f",
                  "./usr/share/games/ardentryst/Sounds/Rain_Loop.ogg")
JCONVOLVER = _pkg("jconvolver-config-files", "1.1.0-1",
                  "930e2267a901f26cbac8a9ba4f293bc6faa93532529b5232266e32be85df2c72",
                  "./usr/share/jconvolver/config-files/*")


def _festvox(_: str) -> ClipInfo:
    return ClipInfo("festvox-ru:nsh", "festvox-ru:nsh", "ru")


def _fillets(lang: str) -> Callable[[str], Optional[ClipInfo]]:
    def describe(relpath: str) -> Optional[ClipInfo]:
        tokens = relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0].split("-")
        role = tokens[1] if len(tokens) >= 3 else tokens[0]
        role = role if role in ("m", "v") else "minor"
        return ClipInfo(f"fillets-{lang}:{role}", f"fillets-{lang}", lang)
    return describe


def _base_lang(lang: str) -> str:
    return re.split(r"[_@]", lang)[0]


def _kde_edu(app: str, lang_index: int) -> Callable[[str], Optional[ClipInfo]]:
    def describe(relpath: str) -> Optional[ClipInfo]:
        parts = relpath.split("/")
        if len(parts) <= lang_index + 1:
            return None  # file directly in the sounds folder: effects, not speech
        lang = _base_lang(parts[lang_index])
        return ClipInfo(f"{app}:{lang}", f"kde-edu:{lang}", lang)
    return describe


def _kajongg(relpath: str) -> Optional[ClipInfo]:
    parts = relpath.split("/")  # usr/share/kajongg/voices/[de/]<voice>/<file>
    i = parts.index("voices")
    lang = "de" if parts[i + 1] == "de" else "en"
    voice = parts[-2]
    return ClipInfo(f"kajongg:{lang}:{voice}", f"kajongg:{voice}", lang)


_TUX_DESC = re.compile(r"_desc(?:_([A-Za-z@]+(?:_[A-Z]{2})?))?\.\w+$")


def _tuxpaint(relpath: str) -> Optional[ClipInfo]:
    m = _TUX_DESC.search(relpath)
    if m is None:
        return None
    lang = m.group(1) or "en"
    return ClipInfo(f"tuxpaint:{lang}", f"tuxpaint:{lang}", lang)


def _noise_package(relpath: str, package: str) -> ClipInfo:
    stem = relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ClipInfo(f"{package}:{stem}", package, "")


_ZEROAD_FAMILIES = (
    ("wind", re.compile(r"^(wind|snowstorm)")),
    ("river", re.compile(r"^river_")),
    ("wave", re.compile(r"^wave")),
)


def _zeroad(member: str) -> ClipInfo:
    stem = member.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    family = re.sub(r"(_gen)?_\d+$", "", stem)
    for name, pattern in _ZEROAD_FAMILIES:
        if pattern.match(stem):
            family = name
    return ClipInfo(f"0ad-data:{stem}", f"0ad-data:{family}", "")


def _ir(relpath: str) -> ClipInfo:
    stem = relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    room = re.sub(r"-[LR]$", "", stem)
    return ClipInfo(f"jconvolver:{stem}", f"jconvolver:{room}", "")


SOURCES: tuple[Source, ...] = (
    Source("speech", FESTVOX_RU, ("usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/*.wav",),
           _festvox),
    Source("speech", FILLETS_CS, ("usr/share/games/fillets-ng/sound/*/cs/*.ogg",), _fillets("cs")),
    Source("speech", FILLETS_NL, ("usr/share/games/fillets-ng/sound/*/nl/*.ogg",), _fillets("nl")),
    Source("speech", KLETTRES, ("usr/share/klettres/*/alpha/*.ogg", "usr/share/klettres/*/syllab/*.ogg",
                                "usr/share/klettres/*/alpha/*.wav", "usr/share/klettres/*/syllab/*.wav"),
           _kde_edu("klettres", 3)),
    Source("speech", KTUBERLING, ("usr/share/ktuberling/sounds/*/*.ogg", "usr/share/ktuberling/sounds/*/*.opus",
                                    "usr/share/ktuberling/sounds/*/*.wav"),
           _kde_edu("ktuberling", 4)),
    Source("speech", KAJONGG, ("usr/share/kajongg/voices/*.ogg",), _kajongg),
    Source("speech", TUXPAINT, ("usr/share/tuxpaint/stamps/*_desc*.ogg",), _tuxpaint),
    Source("noise", ZEROAD, ("audio/ambient/*.ogg",), _zeroad,
           zip_member="usr/share/games/0ad/mods/public/public.zip"),
    Source("noise", SUPERTUXKART, ("usr/share/games/supertuxkart/data/sfx/lenautile_restaurant.ogg",
                                   "usr/share/games/supertuxkart/data/sfx/sara_airport_pa.ogg"),
           lambda p: _noise_package(p, "supertuxkart-data")),
    Source("noise", SUPERTUX, ("usr/share/games/supertux2/sounds/rain.wav",),
           lambda p: _noise_package(p, "supertux-data")),
    Source("noise", LUGARU, ("usr/share/games/lugaru/Sounds/Wind.ogg",),
           lambda p: _noise_package(p, "lugaru-data")),
    Source("noise", SONIC_PI, ("usr/share/sonic-pi/samples/ambi_*hum.flac",
                               "usr/share/sonic-pi/samples/ambi_soft_buzz.flac",
                               "usr/share/sonic-pi/samples/ambi_drone.flac",
                               "usr/share/sonic-pi/samples/vinyl_hiss.flac"),
           lambda p: _noise_package(p, "sonic-pi-samples")),
    Source("noise", ETW, ("usr/share/games/etw/crowd/crowd*.wav",),  # stadium crowd, 8-bit 22 kHz
           lambda p: _noise_package(p, "etw-data")),
    Source("noise", BTANKS, ("usr/share/games/btanks/data/sounds/ambient/city.ogg",),
           lambda p: _noise_package(p, "btanks-data")),
    Source("noise", ARDENTRYST, ("usr/share/games/ardentryst/Sounds/Rain_Loop.ogg",),
           lambda p: _noise_package(p, "ardentryst")),
    # Only street2-{L,R} are measured room responses; the other .wav files in the package
    # are octave-band and crosstalk-cancellation filters, not rooms, and are not used.
    Source("ir", JCONVOLVER, ("usr/share/jconvolver/config-files/*/street2-[LR].wav",), _ir),
)


def packages() -> list[Package]:
    """Every package the corpus needs, in build order, without duplicates."""
    seen: dict[str, Package] = {}
    for source in SOURCES:
        seen.setdefault(source.package.name, source.package)
    return list(seen.values())


def describe_clip_id(clip_id: str) -> ClipInfo:
    """Speaker/group of a corpus clip id (``<kind>/<package>/<path>.wav``, as written by
    :mod:`training.corpus`), recomputed from the path alone, so that split lists can be
    checked without the corpus."""
    kind, package, rest = clip_id.split("/", 2)
    if kind == "ir" and package == "synthetic":
        room = "synthetic:" + rest.rsplit(".", 1)[0].rsplit("_", 1)[-1]
        return ClipInfo(room, room, "")
    for source in SOURCES:
        if source.kind == kind and source.package.name == package:
            relpath = rest if source.zip_member else "usr/share/" + rest
            info = source.describe(relpath)
            if info is None:
                raise ValueError(f"clip_id={clip_id!r} is not a clip of {package}")
            return info
    raise ValueError(f"clip_id={clip_id!r}: no {kind} source in package {package!r}")
