# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python peer of bench-mqtt: paho-mqtt (Debian's python3-paho-mqtt) with a persistent
session (clean_session=False) subscribed to bench/#.

`register PORT 0 QOS CLIENT_ID` subscribes at QOS and exits once the broker acknowledged the
subscription; `read PORT N QOS CLIENT_ID` connects to the session the broker kept, counts
messages in on_message until it has N (or none came for 10 s) and prints the count."""

import sys
import time

import paho.mqtt.client as mqtt


def main():
    mode, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    qos = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    client_id = sys.argv[5] if len(sys.argv) > 5 else "bench-paho"
    state = {"count": 0, "last": time.monotonic(), "done": False}

    def on_connect(client, userdata, flags, rc):
        if mode == "register":
            client.subscribe("bench/#", qos=qos)

    def on_subscribe(client, userdata, mid, granted):
        state["done"] = True
        client.disconnect()

    def on_message(client, userdata, message):
        state["count"] += 1
        state["last"] = time.monotonic()
        if state["count"] >= n:
            state["done"] = True
            client.disconnect()

    client = mqtt.Client(client_id=client_id, clean_session=False)
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect("127.0.0.1", port, keepalive=60)
    while not state["done"] and client.loop(timeout=1.0) == mqtt.MQTT_ERR_SUCCESS:
        if time.monotonic() - state["last"] > 10.0:
            break
    if mode == "register" and not state["done"]:
        sys.exit("paho-mqtt could not subscribe")
    print(state["count"], flush=True)


if __name__ == "__main__":
    main()
