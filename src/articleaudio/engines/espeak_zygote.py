"""A process that holds libespeak-ng loaded and speaks each sentence in a fork of itself.

The ``espeak`` engine runs it as ``python -I -S espeak_zygote.py <word gap>``: a plain script that
imports nothing but the standard library, so the process stays small and its forks cheap. It initialises
libespeak-ng once, loads the voice asked for, and never speaks itself. For each request it forks, and the
child sets the rate and the word gap, speaks the one sentence, sends its samples and exits. So every
sentence starts from the same freshly initialised library, as it would in a new ``espeak-ng`` program, and
comes out as the same bytes whatever was spoken before it (libespeak-ng carries state from one sentence to
the next), without starting a program, with its 35 libraries and its voice data, for every sentence.

Requests on standard input: ``<III`` (voice length, words per minute, text length), then the voice name and
the text in UTF-8. Replies on standard output are frames of ``<iI`` (kind, length) and a payload: samples
(16-bit mono, at the rate of the first reply), then an end frame; or one frame with a message when the
sentence failed. The first reply, once the library is initialised, is an end frame whose payload gives the sample
rate, the library's version and its data folder, one to a line; or a failure.
"""

from __future__ import annotations

import ctypes
import os
import signal
import struct
import sys

REQUEST = struct.Struct("<III")
FRAME = struct.Struct("<iI")
END, FAILED, SAMPLES = 0, 1, 2
_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS
_DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: report missing data instead of exiting
_RATE, _WORDGAP = 1, 7  # espeak_PARAMETER
_POS_CHARACTER = 1
# espeakCHARS_UTF8 | espeakPHONEMES | espeakENDPAUSE: what the espeak-ng program passes for "-b 1" input
_FLAGS = 0x1 | 0x100 | 0x1000
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_OUT = 1
_SAMPLES: list[bytes] = []


def _read_exactly(fd: int, size: int) -> bytes:
    parts = []
    while size:
        part = os.read(fd, size)
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _frame(kind: int, payload: bytes = b"") -> None:
    _write_all(_OUT, FRAME.pack(kind, len(payload)) + payload)


def _collect(wav: ctypes._Pointer[ctypes.c_short], count: int, events: int | None) -> int:
    # in the child: the buffers the library fills are sent at the end, as one frame (fewer for the engine to read)
    if count > 0:
        _SAMPLES.append(ctypes.string_at(wav, count * 2))
    return 0


def _library() -> ctypes.CDLL:
    for name in ("libespeak-ng.so.1", "libespeak-ng.1.dylib", "libespeak-ng.dylib"):
        try:
            return ctypes.CDLL(name)
        except OSError:
            pass
    from ctypes.util import find_library

    found = find_library("espeak-ng")
    if found is None:
        raise OSError("libespeak-ng not found")
    return ctypes.CDLL(found)


def _load() -> tuple[ctypes.CDLL, int, bytes]:
    lib = _library()
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                 ctypes.c_void_p, ctypes.c_void_p]  # fmt: skip
    rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, None, _DONT_EXIT)
    data = ctypes.c_char_p()
    version = lib.espeak_Info(ctypes.byref(data)) or b""
    return lib, rate, version + b"\n" + (data.value or b"")


def _speak(lib: ctypes.CDLL, wpm: int, word_gap: int, text: bytes) -> None:
    lib.espeak_SetParameter(_RATE, wpm, 0)
    lib.espeak_SetParameter(_WORDGAP, word_gap, 0)
    status = lib.espeak_Synth(text, len(text) + 1, 0, _POS_CHARACTER, 0, _FLAGS, None, None)
    if status == 0:
        status = lib.espeak_Synchronize()
    if status != 0:
        _frame(FAILED, b"espeak-ng failed with status %d" % status)
        return
    _frame(SAMPLES, b"".join(_SAMPLES))
    _frame(END)


def serve(word_gap: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the engine stops us by closing our input
    try:
        lib, rate, about = _load()
    except (OSError, AttributeError) as exc:
        _frame(FAILED, str(exc).encode("utf-8", "replace"))
        return
    if rate <= 0:
        _frame(FAILED, b"espeak-ng failed to initialise (is its voice data installed?)")
        return
    callback = _CALLBACK(_collect)
    lib.espeak_SetSynthCallback(callback)
    _frame(END, b"%d\n%s" % (rate, about))
    requests = sys.stdin.fileno()
    voice_set: bytes | None = None
    while True:
        try:
            voice_size, wpm, text_size = REQUEST.unpack(_read_exactly(requests, REQUEST.size))
            voice = _read_exactly(requests, voice_size)
            text = _read_exactly(requests, text_size)
        except EOFError:
            return
        # The voice is loaded here, once for as long as it is asked for (a fork that loaded it would read its
        # dictionary again each time); loading one does not speak, and changes nothing a fork then says.
        if voice != voice_set:
            voice_set = None
            if lib.espeak_SetVoiceByName(voice) != 0:
                _frame(FAILED, b"espeak-ng has no voice " + voice)
                continue
            voice_set = voice
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _speak(lib, wpm, word_gap, text)
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if status != 0:  # it failed before its last frame: a failure frame ends what it sent
            _frame(FAILED, b"espeak-ng stopped while speaking (wait status %d)" % status)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
