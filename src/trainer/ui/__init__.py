"""The Streamlit app's pages: they wire widgets to the package and hold no logic of their own."""
