"""A local S3-compatible server (moto's server mode, a real HTTP endpoint) and private buckets on it."""

import logging
import uuid

import boto3

from .processes import free_port

REGION = "eu-west-2"
KEYS = {"aws_access_key_id": "test-access-key", "aws_secret_access_key": "test-secret-key"}


def start_server():
    """Start moto's S3 server on a free loopback port in this process; return (server, endpoint URL)."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **KEYS)


def create_bucket(endpoint, name=None):
    name = name or f"review-attachments-{uuid.uuid4().hex[:12]}"
    try:
        client(endpoint).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    except client(endpoint).exceptions.BucketAlreadyOwnedByYou:
        pass
    return name


def object_keys(endpoint, bucket):
    response = client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in response.get("Contents", []))
