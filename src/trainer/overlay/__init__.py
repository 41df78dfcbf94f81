"""What the user sees drawn: annotators, the coach, the annotated video, plots and the report.

Annotators follow `annotate(scene, data) -> scene`. Drawing (OpenCV) lives in annotators.py;
plots use matplotlib's Agg canvas.
May import: trainer.core, trainer.capture (to write video), numpy, cv2, matplotlib.
"""
