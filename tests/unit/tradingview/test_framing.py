"""The frame codec against the frames quoted in docs/tradingview-protocol.md."""

from __future__ import annotations

import json

import pytest

from pq_tradingview import FrameError, Heartbeat, decode_message, encode_frame, encode_packet

# Client frames from the protocol notes, with their declared lengths.
CLIENT_FRAMES = [
    '~m~54~m~{"m":"set_auth_token","p":["unauthorized_user_token"]}',
    '~m~55~m~{"m":"chart_create_session","p":["cs_casjcotuguzl",""]}',
    '~m~137~m~{"m":"resolve_symbol","p":["cs_abcdefghijkl","symbol_1","={\\"symbol\\":\\"NSE:NIFTY\\",'
    '\\"adjustment\\":\\"splits\\",\\"session\\":\\"regular\\"}"]}',
    '~m~76~m~{"m":"create_series","p":["cs_abcdefghijkl","s1","s1","symbol_1","1D",5000]}',
    '~m~80~m~{"m":"create_series","p":["cs_casjcotuguzl","sds_1","s1","sds_sym_1","1S",2,""]}',
    '~m~63~m~{"m":"request_more_data","p":["cs_casjcotuguzl","sds_1",27000]}',
    '~m~92~m~{"m":"quote_add_symbols","p":["qs_abcdefghijkl","NSE:NIFTY",{"flags":["force_permission"]}]}',
    '~m~58~m~{"m":"switch_timezone","p":["cs_abcdefghijkl","exchange"]}',
]

SERVER_FRAMES = [
    '~m~95~m~{"m":"series_loading","p":["cs_casjcotuguzl","sds_1","s1"],"t":1780851033,'
    '"t_ms":1780851033916}',
    '~m~157~m~{"m":"series_completed","p":["cs_DcCNfv1DTMH6","sds_1","streaming","s2",'
    '{"rt_update_period":0,"data_completed":"limit"}],"t":1767272908,"t_ms":1767272908585}',
    '~m~108~m~{"m":"symbol_error","p":["cs_vtnztfvikwom","symbol_1","invalid symbol"],'
    '"t":1742933764,"t_ms":1742933764250}',
    '~m~170~m~{"m":"series_error","p":["cs_vtnztfvikwom","s1","s1","resolve error",'
    '"dal-charts-free-4-tvbs-c2fn6-2@dal-charts-free-4-tvbs-c2fn6-2"],"t":1742933764,'
    '"t_ms":1742933764250}',
    '~m~87~m~{"m":"critical_error","p":["qs_vtnztfvikwom","invalid_parameters","quote_add_symbols"]}',
    '~m~45~m~{"m":"protocol_error","p":["bad auth token"]}',
    '~m~141~m~{"m":"qsd","p":["qs_NxbX6Jfp7lFA",{"n":"BITSTAMP:BTCUSD","s":"ok","v":{"ask":'
    '8004.8000000000001819,"ask_size":0,"bid":7996.0,"bid_size":0}}]}',
    '~m~95~m~{"m":"qsd","p":["qs_NxbX6Jfp7lFA",{"n":"BITSTAMP:BTCUSD","s":"ok","v":{"lp_time":'
    "1558466820}}]}",
    '~m~77~m~{"m":"quote_completed","p":["qs_snapshoter_lLyG7Zq6XmYQ","CBOT_GBX:ZQQ2021"]}',
    '~m~199~m~{"m":"du","p":["cs_saydeutqehrd",{"s1":{"s":[{"i":300,"v":[1663050540.0,1721.18,'
    '1721.75,1721.17,1721.74,229.7826]}],"ns":{"d":"","indexes":"nochange"},"t":"s1","lbs":'
    '{"bar_close_time":1663050600}}}]}',
]

HELLO = (
    '~m~290~m~{"session_id":"0.4607.904_dal-charts-free-4-tvbs-c2fn6-2","timestamp":1742933763,'
    '"timestampMs":1742933763175,"release":"release_208-49","studies_metadata_hash":'
    '"e2f4dae03ca6d158a18e757023c468d56d5fa0e9","auth_scheme_vsn":2,"protocol":"json","via":'
    '"209.58.146.82:443","javastudies":["3.66"]}'
)


def _payload(frame: str) -> str:
    return frame.split("~m~", 2)[2]


@pytest.mark.parametrize("frame", CLIENT_FRAMES + SERVER_FRAMES + [HELLO])
def test_each_example_frame_decodes_to_its_json(frame: str) -> None:
    assert decode_message(frame) == [json.loads(_payload(frame))]


@pytest.mark.parametrize("frame", CLIENT_FRAMES + SERVER_FRAMES + [HELLO])
def test_encoding_reproduces_each_example_frame(frame: str) -> None:
    assert encode_frame(_payload(frame)) == frame


def test_concatenated_frames_in_one_message_decode_in_order() -> None:
    message = "".join(SERVER_FRAMES) + "~m~4~m~~h~7"
    packets = decode_message(message)
    assert [p.get("m") for p in packets[:-1] if isinstance(p, dict)] == [
        json.loads(_payload(f))["m"] for f in SERVER_FRAMES
    ]
    assert packets[-1] == Heartbeat("~h~7")


def test_heartbeat_is_returned_unchanged_for_the_echo() -> None:
    assert decode_message("~m~4~m~~h~1") == [Heartbeat("~h~1")]
    assert encode_frame("~h~123") == "~m~6~m~~h~123"


def test_hello_is_an_object_without_m() -> None:
    (hello,) = decode_message(HELLO)
    assert isinstance(hello, dict)
    assert "m" not in hello
    assert hello["protocol"] == "json"


def test_korean_text_counts_characters_not_bytes() -> None:
    # the greatricky fixture: 99 characters that are 113 UTF-8 bytes
    payload = json.dumps(
        {"m": "qsd", "p": ["qs_x", {"n": "KRX:005930", "v": {"description": "삼성전자 보통주"}}]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    frame = encode_frame(payload)
    assert frame.startswith(f"~m~{len(payload)}~m~")
    assert len(payload.encode()) > len(payload)
    assert decode_message(frame + frame) == [json.loads(payload)] * 2


def test_characters_outside_the_bmp_count_two_units() -> None:
    payload = '{"d":"Pepe 🐸"}'
    frame = encode_frame(payload)
    assert frame == f"~m~{len(payload) + 1}~m~{payload}"
    assert decode_message(frame + "~m~2~m~{}" + frame) == [{"d": "Pepe 🐸"}, {}, {"d": "Pepe 🐸"}]


def test_encode_packet_is_compact_json() -> None:
    assert encode_packet("set_auth_token", ["unauthorized_user_token"]) == CLIENT_FRAMES[0]


@pytest.mark.parametrize(
    "garbage",
    [
        "hello",
        "~m~",
        "~m~5~m~{}",  # declared longer than the message
        "~m~2~m~{}x",  # trailing bytes that are not a frame
        "~m~x~m~{}",
        "~m~²~m~{}",  # a digit int() would take, but not ASCII
        "~m~ 2~m~{}",
        "~m~3~m~[1]",  # JSON, but not an object
        "~m~2~m~[]",
        "~m~4~m~{,,}",
        "~m~0~m~",
        "~m~3~m~ {}",
        "~m~99999999999~m~{}",
        "~m~3~m~{🐸",  # the length splits a surrogate pair
        "~m~" + "9" * 5000 + "~m~{}",
    ],
)
def test_garbage_raises_the_typed_frame_error(garbage: str) -> None:
    with pytest.raises(FrameError):
        decode_message(garbage)


def test_an_empty_message_holds_no_packets() -> None:
    assert decode_message("") == []


def test_deeply_nested_json_is_a_frame_error_not_a_recursion_error() -> None:
    payload = "[" * 100_000 + "]" * 100_000
    with pytest.raises(FrameError):
        decode_message(encode_frame(payload))
