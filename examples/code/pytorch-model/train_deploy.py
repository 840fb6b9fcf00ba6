"""Training entry point of the Boston-housing walkthrough (a short stand-in).

SageMaker ran it as the training job pytorch-hosted-model-2021-08-26-15-55-22-071
(hyperparameter sagemaker_program: train_deploy.py), on the train, test and
validation channels, and wrote the model to output/model.tar.gz.
`lineage generate --code examples/code/pytorch-model/train_deploy.py` links the
job to this file at the commit that last changed it.
"""
import argparse
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    args = parser.parse_args()
    channels = {name: os.environ.get(f"SM_CHANNEL_{name.upper()}", "") for name in ("train", "test", "validation")}
    print(f"training for {args.epochs} epochs on {channels}")


if __name__ == "__main__":
    main()
